import type { Server } from 'node:http';
import { DeskError } from '@shared/errors';

/**
 * Listens on 127.0.0.1 only and resolves with the base URL.
 * @throws DeskError `port_in_use` when the port is taken, `listen_failed` otherwise.
 */
export function listenLoopback(server: Server, port: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new DeskError(
              'port_in_use',
              `${what}: port ${port} on 127.0.0.1 is already in use; pick another with --port`,
              { status: 500 },
            )
          : new DeskError('listen_failed', `${what}: cannot listen on 127.0.0.1:${port}: ${err.message}`, {
              status: 500,
            }),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      if (addr === null || typeof addr === 'string')
        return reject(new DeskError('listen_failed', `${what}: no address`));
      resolve(`http://127.0.0.1:${addr.port}`);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** Closes a server and every connection it still holds (keep-alive sockets would hold it open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
