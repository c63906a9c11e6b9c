/**
 * Opaque page cursors: a place in one order (the values of a user that order reads, and its id),
 * base64url-encoded, with the order it was made for. JOINED_DESC cursors keep the spelling they
 * had before orders existed (`<timeJoined>:<id>`), so that cursors handed out then still work;
 * the other orders' are the JSON `[order, value, id]`.
 */
import { positionIn, USER_ORDERS, type UserOrder, type UserPosition } from '../directory/user-order.ts';

export interface Cursor {
  readonly order: UserOrder;
  readonly position: UserPosition;
}

/** The longest cursor taken: room for an email of 256 and an id of 128 characters of four UTF-8 bytes each. */
export const MAX_CURSOR_LENGTH = 4_096;

export function encodeCursor(order: UserOrder, user: UserPosition): string {
  const position = positionIn(order, user);
  const text =
    order === 'JOINED_DESC'
      ? `${position.timeJoined}:${position.id}`
      : JSON.stringify([order, position.timeJoined ?? position.lastActive ?? position.email ?? null, position.id]);
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Null when the string is not a cursor this service issued: only the spelling encodeCursor gives
 * is taken (base64url and JSON have other spellings of the same values, and bytes that are not
 * UTF-8 would decode to U+FFFD).
 */
export function decodeCursor(cursor: string): Cursor | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const decoded = text.startsWith('[') ? fromJson(text) : fromJoined(text);
  if (!decoded || encodeCursor(decoded.order, decoded.position) !== cursor) return null;
  return decoded;
}

function fromJoined(text: string): Cursor | null {
  const decoded = /^(0|[1-9]\d{0,15}):(.+)$/s.exec(text);
  if (!decoded) return null;
  const timeJoined = Number(decoded[1]);
  return Number.isSafeInteger(timeJoined) ? { order: 'JOINED_DESC', position: { timeJoined, id: decoded[2]! } } : null;
}

function fromJson(text: string): Cursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [order, value, id] = parsed as [unknown, unknown, unknown];
  if (!USER_ORDERS.includes(order as UserOrder) || order === 'JOINED_DESC' || typeof id !== 'string' || id === '') return null;
  const isTime = typeof value === 'number' && Number.isSafeInteger(value);
  switch (order as UserOrder) {
    case 'JOINED_ASC':
      return isTime ? { order: 'JOINED_ASC', position: { timeJoined: value as number, id } } : null;
    case 'LAST_ACTIVE_DESC':
    case 'LAST_ACTIVE_ASC':
      return isTime || value === null ? { order: order as UserOrder, position: { lastActive: value as number | null, id } } : null;
    default:
      return typeof value === 'string' || value === null ? { order: order as UserOrder, position: { email: value as string | null, id } } : null;
  }
}
