/**
 * The HTTP side of a camera: pick a dialect client by name from the one registry. Every dialect
 * implements CameraConfig; the ones not written yet answer with a NotSupportedError.
 */
export { Bview2Client, BVIEW2_CAPABILITIES, type Bview2ClientOptions, type Bview2FirmwareOptions } from './bview2-client.js';
export { Bview2LensError, Bview2StatusError } from '../../../protocols/http/bview2/errors.js';
export { CameraClient, type CameraClientOptions, type HttpRequest, type HttpResponse } from './camera-client.js';
export { DialectClient, type CameraConfig, type FirmwareOptions, type LensControl, type LensHalt, type LensMoveOptions } from './dialect.js';
export { CgiControlError } from '../../../protocols/http/cgi-control/errors.js';
export { CgiControlClient, CGI_CONTROL_CAPABILITIES, type CgiControlClientOptions } from './cgi-control-client.js';
export { JsonApiStatusError } from '../../../protocols/http/json-api/errors.js';
export { CgiActionStatusError } from '../../../protocols/http/cgi-action/errors.js';
export { CgiActionClient, CGI_ACTION_CAPABILITIES, type CgiActionClientOptions, type CgiActionResult } from './cgi-action-client.js';
export { JsonApiClient, JSON_API_CAPABILITIES, type JsonApiClientOptions, type JsonApiResult } from './json-api-client.js';
export { type DialectProbe, type ProbeResult } from './dialect-probes.js';
export { capabilityTable, DIALECT_REGISTRY, dialectEntry, isDialectName, openCamera, type CameraConnectOptions, type DialectEntry } from './registry.js';
export { LoginLatch, TokenSession, type SessionGrant, type TokenSessionOptions } from './session.js';
export { Szg10Client, SZG10_CAPABILITIES, type Szg10ClientOptions } from './szg10-client.js';
