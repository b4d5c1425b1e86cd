/**
 * `api/target/tributary.jar` started as a newcomer starts it — `java -jar`, no database configured, so it runs
 * its embedded PostgreSQL — with its data in a fresh directory of this module's target/ and on free ports, so
 * that it shares nothing with a service started by hand or another build on the machine.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';

export interface ServiceOptions {
  /** The packaged service. */
  readonly jar: string;
  /** Emptied, then holding the embedded database (`pgdata/`), its master key and the service's log. */
  readonly directory: string;
  /** Environment settings beyond the port and the embedded database's place. */
  readonly settings: Readonly<Record<string, string>>;
}

export class PackagedService {
  private failure: Error | undefined;

  private constructor(private readonly process: ChildProcess, readonly url: string, private readonly log: string) {
    // A java that cannot be started at all: say so, rather than wait for a readiness that never comes.
    process.once('error', (error) => { this.failure = error; });
  }

  static async start(options: ServiceOptions): Promise<PackagedService> {
    rmSync(options.directory, { recursive: true, force: true });
    mkdirSync(options.directory, { recursive: true });
    const [httpPort, databasePort] = [await freePort(), await freePort()];
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      // Only what this test says: no database, key or setting of the shell that started the build.
      if (value !== undefined && !/^(DATASOURCES_|TRIBUTARY_|MICRONAUT_)/.test(name)) {
        environment[name] = value;
      }
    }
    Object.assign(environment, {
      MICRONAUT_SERVER_PORT: String(httpPort),
      TRIBUTARY_EMBEDDED_DB_DIRECTORY: join(options.directory, 'pgdata'),
      TRIBUTARY_EMBEDDED_DB_PORT: String(databasePort),
    }, options.settings);
    const log = join(options.directory, 'service.log');
    const output = createWriteStream(log);
    const java = process.env.JAVA ?? 'java';
    const child = spawn(java, ['-Xmx512m', '-jar', options.jar], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(output);
    child.stderr?.pipe(output);
    const service = new PackagedService(child, `http://127.0.0.1:${httpPort}`, log);
    try {
      await service.awaitReady();
    } catch (error) {
      await service.stop();
      throw new Error(`the service did not become ready (${String(error)}); its log:\n${service.logText()}`);
    }
    return service;
  }

  logText(): string {
    try {
      return readFileSync(this.log, 'utf8');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM, as an orchestrator stops it; SIGKILL if it has not exited in 30 seconds. */
  async stop(): Promise<void> {
    if (this.failure || this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  }

  private async awaitReady(): Promise<void> {
    await eventually('the service answers /health/readiness with 200', 120_000, async () => {
      if (this.failure) {
        throw this.failure;
      }
      if (this.process.exitCode !== null) {
        throw new Error(`the service exited with ${this.process.exitCode}`);
      }
      const response = await fetch(`${this.url}/health/readiness`).catch(() => null);
      return response?.status === 200;
    }, { failFast: () => this.failure !== undefined || this.process.exitCode !== null });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
