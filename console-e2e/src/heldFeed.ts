/**
 * A JSON Lines feed for json-feed apps whose download stops after its first record until the test releases it,
 * so a run of it stays `running` as long as the test needs — and a second run of the same app waits `queued`
 * for the first one's lock. Once released, it answers every download whole.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export class HeldFeed {
  private released = false;
  private readonly waiting: ServerResponse[] = [];
  private downloads = 0;

  private constructor(private readonly server: Server, readonly url: string, private readonly records: readonly object[]) {
  }

  /** A feed of `count` permit-like records, ids `held-1`…, on a free port of 127.0.0.1. */
  static async start(count: number): Promise<HeldFeed> {
    const records = Array.from({ length: count }, (_, i) => ({
      permit_number: `held-${i + 1}`,
      issued_date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      address: `${i + 1} Held Street`,
    }));
    let feed: HeldFeed | undefined;
    const server = createServer((request, response) => feed?.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    feed = new HeldFeed(server, `http://127.0.0.1:${port}/permits.jsonl`, records);
    return feed;
  }

  /** Downloads begun so far: a run of the feed has started reading it once this grows. */
  get started(): number {
    return this.downloads;
  }

  /** Lets every held download finish, and every later one run straight through. */
  release(): void {
    this.released = true;
    for (const response of this.waiting.splice(0)) {
      this.finish(response);
    }
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    if (request.url !== '/permits.jsonl') {
      response.writeHead(404).end();
      return;
    }
    this.downloads++;
    response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    response.write(`${JSON.stringify(this.records[0])}\n`);
    if (this.released) {
      this.finish(response);
    } else {
      this.waiting.push(response);
    }
  }

  private finish(response: ServerResponse): void {
    response.end(this.records.slice(1).map((record) => `${JSON.stringify(record)}\n`).join(''));
  }
}
