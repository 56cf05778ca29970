/**
 * Every resource the B-View 2 manual documents (§3.1 of the digest), with its methods: what
 * raw() lets through and what the simulator tells apart from an unknown URL (-10). Paths live at
 * the server root; `{Ch}` is the channel (only 1 exists), `{St}` a stream, `{Nic}` a network
 * card, `{N}` a user ID + 1. Matched case-insensitively (the manual's own casing wanders).
 */
type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface Resource {
  pattern: string;
  methods: readonly Method[];
  re: RegExp;
}

const resource = (pattern: string, ...methods: Method[]): Resource => ({
  pattern,
  methods,
  re: new RegExp(`^${pattern.replace(/\{(Ch|St|Nic|N)\}/g, '\\d+')}$`, 'i'),
});

export const RESOURCES: readonly Resource[] = [
  resource('/Network', 'GET', 'PUT'),
  resource('/Network/DDNS', 'GET', 'PUT'),
  resource('/Network/DDNS/ServerList', 'GET'),
  resource('/Network/DDNS/Config', 'GET', 'PUT'),
  resource('/Network/DDNS/Status', 'GET'),
  resource('/Network/UPNP', 'GET', 'PUT'),
  resource('/Network/UPNP/Config', 'GET', 'PUT'),
  resource('/Network/UPNP/Status', 'GET'),
  resource('/Network/EMail', 'GET', 'PUT'),
  resource('/Network/Port', 'GET', 'PUT'),
  resource('/Network/P2P', 'GET', 'PUT'),
  resource('/Network/FTP', 'GET', 'PUT'),
  resource('/Network/Interfaces', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}/IPAddress', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}/IPAddress/DHCP', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}/IPAddress/DNS', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}/WIFIAccessPointList', 'GET'),
  resource('/Network/Interfaces/{Nic}/Wireless', 'GET', 'PUT'),
  resource('/Network/Interfaces/{Nic}/WIFIStatus', 'GET'),
  resource('/Network/WifiParamTest', 'PUT'),
  resource('/Network/WifiParamTestStatus', 'GET'),
  resource('/System/Time', 'GET', 'PUT'),
  resource('/System/NTP', 'GET', 'PUT'),
  resource('/System/DST', 'GET', 'PUT'),
  resource('/System/DeviceInfo', 'GET', 'PUT'),
  resource('/System/DeviceStatus', 'GET'),
  resource('/System/DeviceStatus/{Ch}', 'GET'),
  resource('/System/FirmwareUpgrade', 'PUT'),
  resource('/System/Reboot', 'PUT'),
  resource('/System/FactoryDefault', 'PUT'),
  resource('/System/SendTestEmail', 'PUT'),
  resource('/System/Logging', 'GET'),
  resource('/System/Users', 'GET'),
  resource('/System/Users/1', 'GET', 'PUT', 'POST', 'DELETE'),
  resource('/System/Users/{N}', 'GET'),
  resource('/System/{Ch}/RemoteForceFrame', 'PUT'),
  resource('/System/DeviceConfigFile', 'GET', 'PUT'),
  resource('/System/DeviceAutoMaintenance', 'GET', 'PUT'),
  resource('/Security/UserAuth', 'PUT'),
  resource('/Streams', 'GET', 'PUT'),
  resource('/Streams/{Ch}', 'GET', 'PUT'),
  resource('/Streams/{Ch}/CapabilityV2', 'GET'),
  resource('/Streams/{Ch}/{St}', 'GET', 'PUT'),
  resource('/Streams/{Ch}/{St}/Transport', 'GET'),
  resource('/Streams/{Ch}/{St}/ReceiveData', 'GET'),
  resource('/Snapshot/{Ch}/RemoteImageCapture', 'GET'),
  resource('/Images', 'GET', 'PUT'),
  resource('/Images/{Ch}', 'GET', 'PUT'),
  resource('/Images/{Ch}/Scene', 'GET', 'PUT'),
  resource('/Images/{Ch}/Basic', 'GET', 'PUT'),
  resource('/Images/{Ch}/Color', 'GET', 'PUT'),
  resource('/Images/{Ch}/Exposure', 'GET', 'PUT'),
  resource('/Images/{Ch}/WhiteBalance', 'GET', 'PUT'),
  resource('/Images/{Ch}/IrCutFilter', 'GET', 'PUT'),
  resource('/Pictures', 'GET', 'PUT'),
  resource('/Pictures/{Ch}', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/OSD', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/Motion', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/Motion/RegionsV2', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/Motion/Trigger', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/Motion/Schedule', 'GET', 'PUT'),
  resource('/Pictures/{Ch}/Mosaic', 'GET', 'PUT'),
  resource('/TwowayAudio/Open', 'PUT'),
  resource('/TwowayAudio/Close', 'PUT'),
  resource('/TwowayAudio/SendData', 'PUT'),
  resource('/TwowayAudio/ReceiveData', 'GET'),
  resource('/EventsNotification/SubscribedEventTypeList', 'GET', 'PUT', 'DELETE'),
  resource('/EventsNotification/EventList', 'GET'),
  resource('/Record', 'GET', 'PUT'),
  resource('/Record/HttpEvent/Config', 'GET', 'PUT'),
  resource('/Record/HttpEvent/Call', 'PUT'),
  resource('/Record/Notify/URL', 'GET', 'PUT'),
  resource('/Record/Format/Call', 'PUT'),
  resource('/Disk', 'GET', 'PUT'),
  resource('/PTZ/{Ch}/Presets/Goto', 'PUT'),
  resource('/PTZ/{Ch}/FocusFar', 'PUT'),
  resource('/PTZ/{Ch}/FocusNear', 'PUT'),
  resource('/PTZ/{Ch}/ZoomIn', 'PUT'),
  resource('/PTZ/{Ch}/ZoomOut', 'PUT'),
  resource('/Alarm/AMS/2', 'PUT'),
  resource('/Alarm/EventCfgList/2', 'PUT'),
];

/** The documented resource a path names (undefined when the manual has none). */
export function findResource(path: string): Resource | undefined {
  return RESOURCES.find((r) => r.re.test(path));
}
