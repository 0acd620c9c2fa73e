import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy in front of Redis that can drop the connection right after Redis has carried out a script. */
export interface LossyRedisProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** From now on scripts (EVAL/EVALSHA) sent through the proxy reach Redis, but each answer is lost with its connection. */
  loseScriptAnswers(): void;
  /** Pass every answer again. */
  passAnswers(): void;
  /** How many answers were lost so far. */
  lostAnswers(): number;
  /** Close the proxy and its connections. */
  stop(): Promise<void>;
}

/** Start a proxy to the Redis at `target` (`redis://host:port`). */
export async function startLossyRedisProxy(target: string): Promise<LossyRedisProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let losing = false;
  let lost = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let dropAnswer = false;
    client.on('data', (chunk: Buffer) => {
      if (losing && /EVAL/i.test(chunk.toString('latin1'))) dropAnswer = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropAnswer) {
        client.write(chunk);
        return;
      }
      lost += 1;
      client.destroy();
      upstream.destroy();
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loseScriptAnswers() {
      losing = true;
    },
    passAnswers() {
      losing = false;
    },
    lostAnswers: () => lost,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
