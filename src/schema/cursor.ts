/** Opaque page cursors: a user's position in the listing order, base64url-encoded. */
import type { UserOrderKey } from '../directory/user.ts';

export function encodeCursor({ timeJoined, id }: UserOrderKey): string {
  return Buffer.from(`${timeJoined}:${id}`, 'utf8').toString('base64url');
}

/** Null when the string is not a cursor this service issued. */
export function decodeCursor(cursor: string): UserOrderKey | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 1) return null;
  const timeJoined = Number(decoded.slice(0, separator));
  const id = decoded.slice(separator + 1);
  if (!Number.isSafeInteger(timeJoined) || timeJoined < 0 || id === '') return null;
  return { timeJoined, id };
}
