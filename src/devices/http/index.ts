/**
 * The HTTP side of a camera: pick a dialect client by name. Every dialect implements
 * CameraConfig; the ones not written yet answer with a NotSupportedError.
 */
import { NotSupportedError } from '../../../protocols/errors.js';
import { DIALECTS, type DialectName } from '../../../protocols/http/common/capabilities.js';
import type { CameraClientOptions } from './camera-client.js';
import type { CameraConfig } from './dialect.js';
import { Szg10Client } from './szg10-client.js';

export { CameraClient, type CameraClientOptions, type HttpRequest, type HttpResponse } from './camera-client.js';
export { DialectClient, type CameraConfig, type FirmwareOptions, type LensControl } from './dialect.js';
export { Szg10Client, type Szg10ClientOptions } from './szg10-client.js';

export interface CameraConnectOptions extends CameraClientOptions {
  dialect: DialectName;
  user: string;
  password: string;
}

export function isDialectName(name: string): name is DialectName {
  return (DIALECTS as readonly string[]).includes(name);
}

/** A client for the camera's dialect. */
export function openCamera(options: CameraConnectOptions): CameraConfig {
  const { dialect, ...rest } = options;
  switch (dialect) {
    case 'szg10':
      return new Szg10Client(rest);
    default:
      throw new NotSupportedError(`the ${dialect} dialect`, 'this version of zoomsync', 'available: szg10');
  }
}
