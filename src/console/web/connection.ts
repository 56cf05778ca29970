/**
 * The console's link to the service: one WebSocket (/ws: live state in, moves out) that
 * reconnects by itself, and REST calls with the same bearer token. The token is asked once and
 * kept in localStorage; a `#token=…` fragment (what `serve --sim` prints) is taken and removed.
 */
export const TOKEN_KEY = 'zoomsync.token';

export function tokenFromFragment(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]!);
}

export type ServerMessage = { type: string } & Record<string, any>;

export interface ConnectionEvents {
  message(message: ServerMessage): void;
  status(status: 'connecting' | 'open' | 'closed'): void;
  /** The token was refused: ask for another. */
  unauthorized(): void;
}

export class Connection {
  private socket: WebSocket | undefined;
  private retryMs = 250;
  private stopped = false;

  constructor(
    private token: string,
    private readonly events: ConnectionEvents,
  ) {}

  open(): void {
    this.stopped = false;
    this.events.status('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: this.token }));
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === 'hello') {
        this.retryMs = 250;
        this.events.status('open');
      }
      this.events.message(message);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.events.status('closed');
      if (event.code === 4401) return this.events.unauthorized();
      if (this.stopped) return;
      setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(5000, this.retryMs * 2);
    };
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(message: object): void {
    if (this.isOpen) this.socket!.send(JSON.stringify(message));
  }

  /** A REST call; resolves with the JSON body, rejects with the API's error message. */
  async rest(method: 'GET' | 'POST' | 'PUT', path: string, body?: object): Promise<any> {
    const response = await fetch(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (response.status === 401) this.events.unauthorized();
      throw new Error(json?.error?.message ?? `${method} ${path}: HTTP ${response.status}`);
    }
    return json;
  }
}
