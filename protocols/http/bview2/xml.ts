/**
 * B-View 2 XML on the wire, read and written with fast-xml-parser. Pure: no I/O.
 *
 * Reading is namespace- and attribute-agnostic (the manual prints two namespaces, an empty one,
 * `Version` and `version`), text is trimmed and kept as text (a field's schema decides its
 * type), and element names are matched case-insensitively and through the alias table of the
 * misspellings the manual prints (`WhiteBlance`, `IrCutFillter`, `VideoChannels`, `Bright` ...):
 * both spellings read as the canonical one. Writing uses the canonical spelling (the opening
 * tag the manual prints), one root, the XML declaration and UTF-8.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed element: its text, or its children by name (a repeated child is an array). */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

export type XmlRead = { ok: true; root: string; body: XmlNode } | { ok: false; problem: string };

/**
 * Misspellings the manual prints, by canonical name. Each is read as the canonical name; only
 * the canonical one is written. (Mismatched closing tags in the manual's schema blocks are the
 * same element under two names: a device built from them may use either.)
 */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  VideoInputChannels: ['VideoChannels'],
  AlarmInputChannels: ['AlarmChannel'],
  AlarmOutputChannels: ['AlarmOutputChannel'],
  Brightness: ['Bright'],
  WhiteBalance: ['WhiteBlance'],
  IrCutFilter: ['IrCutFillter'],
  ResolutionHeight: ['ResolutionHeigth'],
  DeviceStatusList: ['DeviceStateList', 'DevicestatusList'],
  SecondSubStreamVideoBitrate: ['SecondStreamVideoBitrate'],
  RefreshIntervals: ['RefreshInterval'],
  MobliePortState: ['HTTPMoblieState'],
};

/** Every element name zoomsync reads by name, canonical spelling (matched case-insensitively). */
const CANONICAL = [
  'ResponseStatus', 'requestURL', 'statusCode',
  'DeviceInfo', 'DeviceName', 'BoardType', 'DeviceTypeName', 'SerialNum', 'HardWareVersion', 'SoftWareVersion',
  'VideoInputChannels', 'AudioChannels', 'AlarmInputChannels', 'AlarmOutputChannels', 'MonitorCount', 'SpotOutChannels', 'TwoWayAudio',
  'Image', 'ImageList', 'ID', 'Scene', 'Basic', 'Color', 'Brightness', 'Exposure', 'IrisType', 'shutter', 'Gain',
  'WhiteBalance', 'Mode', 'GainRed', 'GainBlue', 'IrCutFilter', 'DayStartTime', 'DayEndTime', 'Sensitivity', 'SwitchTime',
  'OSD', 'DisplayTime', 'DisplayName', 'Enable', 'PosX', 'PosY', 'Name', 'ResolutionHeight', 'DeviceStatusList',
  'SecondSubStreamVideoBitrate', 'RefreshIntervals', 'MobliePortState',
];

const CANONICAL_BY_LOWER: ReadonlyMap<string, string> = new Map([
  ...CANONICAL.map((n) => [n.toLowerCase(), n] as const),
  ...Object.entries(ALIASES).flatMap(([canonical, alternates]) => alternates.map((a) => [a.toLowerCase(), canonical] as const)),
]);

/** The canonical spelling of an element name (unknown names unchanged). */
export function canonicalName(name: string): string {
  return CANONICAL_BY_LOWER.get(name.toLowerCase()) ?? name;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Reads an XML document: well-formed, exactly one root element; names canonicalised. A
 * problem is described in one line (what the validator saw, and where).
 */
export function readXml(text: string): XmlRead {
  if (text.trim() === '') return { ok: false, problem: 'the body is empty' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, problem: `not well-formed XML (${valid.err.msg} at line ${valid.err.line}${valid.err.col ? `, column ${valid.err.col}` : ''})` };
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, problem: `not well-formed XML (${(error as Error).message})` };
  }
  const roots = Object.keys(parsed);
  if (roots.length !== 1) return { ok: false, problem: roots.length === 0 ? 'no root element' : `${roots.length} root elements (${roots.join(', ')}) where XML allows one` };
  const root = roots[0]!;
  if (Array.isArray(parsed[root])) return { ok: false, problem: `${root} appears more than once at the root` };
  return { ok: true, root: canonicalName(root), body: normalise(parsed[root]) };
}

/** Canonical names throughout; every leaf as text ('' for an empty element). */
function normalise(value: unknown): XmlNode {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const out: { [name: string]: XmlNode | XmlNode[] } = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    const key = canonicalName(name);
    const next = Array.isArray(child) ? child.map(normalise) : normalise(child);
    const held = out[key];
    // Both spellings of one element in one block: keep them all, the schema decides.
    out[key] = held === undefined ? next : [...(Array.isArray(held) ? held : [held]), ...(Array.isArray(next) ? next : [next])];
  }
  return out;
}

/** A value for the builder: text, a number, a boolean, or nested elements. */
export type XmlValue = string | number | boolean | { [name: string]: XmlValue | undefined };

const builder = new XMLBuilder({ format: true, indentBy: '  ', ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });

/** Root attributes zoomsync's devices use (the §7 example). */
export const ROOT_ATTRIBUTES = { Version: '1.0', xmlns: 'http://www.zwcloud.wang/ver10/XMLSchema' } as const;

/** A whole document: declaration, one root (with optional attributes), the children in order; undefined children left out. */
export function buildXml(root: string, children: { [name: string]: XmlValue | undefined }, attributes: Readonly<Record<string, string>> = {}): string {
  const attrs = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`@_${k}`, v]));
  const doc = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: { ...attrs, ...prune(children) } };
  return builder.build(doc) as string;
}

function prune(children: { [name: string]: XmlValue | undefined }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(children)) {
    if (value === undefined) continue;
    out[name] = typeof value === 'object' ? prune(value) : String(value);
  }
  return out;
}

/** The child element of a parsed node (undefined when the node is text or lacks it). */
export function childOf(node: XmlNode | undefined, name: string): XmlNode | XmlNode[] | undefined {
  return node !== undefined && typeof node === 'object' ? node[name] : undefined;
}
