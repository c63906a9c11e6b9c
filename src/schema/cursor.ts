/** Opaque page cursors: a user's position in the listing order, base64url-encoded. */
import type { UserOrderKey } from '../directory/user.ts';

export function encodeCursor({ timeJoined, id }: UserOrderKey): string {
  return Buffer.from(`${timeJoined}:${id}`, 'utf8').toString('base64url');
}

/**
 * Null when the string is not a cursor this service issued: only the spelling encodeCursor gives
 * is taken (base64url has other spellings of the same bytes, and bytes that are not UTF-8 would
 * decode to U+FFFD).
 */
export function decodeCursor(cursor: string): UserOrderKey | null {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
  const decoded = /^(0|[1-9]\d{0,15}):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded) return null;
  const key = { timeJoined: Number(decoded[1]), id: decoded[2]! };
  if (!Number.isSafeInteger(key.timeJoined) || encodeCursor(key) !== cursor) return null;
  return key;
}
