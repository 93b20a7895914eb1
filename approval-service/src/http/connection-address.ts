import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Finds the peer address of the connection a call came on. */
export type ConnectionAddress = (c: Context) => string | undefined;

/** The Node socket's peer address; undefined outside `@hono/node-server` or once it is gone. */
export const socketAddress: ConnectionAddress = (c) => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};
