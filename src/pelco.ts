/**
 * `zoomsync/pelco`: the PELCO-D/P codec alone (encode, decode, FrameReader, FrameReaderStream,
 * profiles) and the error family it throws. Pure: it loads no serial, HTTP or schema library,
 * so a program that only builds or reads frames starts as fast as Node itself.
 */
export * from '../protocols/pelco/index.js';
export * from '../protocols/errors.js';
