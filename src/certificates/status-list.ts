import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0: a list of at least 131072 bits (16 KiB), so that one revoked
 * credential hides in the crowd; gzip, then base64url without padding, with the multibase prefix "u".
 * Bit 0 is the left-most bit of the first byte (§4.1 "the first index is the left-most bit").
 */
export const STATUS_LIST_SIZE = 131072;
/** All credentials go to list 1 until it fills up (131072 credentials are far beyond this programme). */
export const CURRENT_STATUS_LIST = 1;

/** A random index for a new credential (§6.1: indexes should not reveal the order of issuing). */
export const randomStatusIndex = (): number => randomInt(0, STATUS_LIST_SIZE);

export function encodeStatusList(setIndexes: Iterable<number>, size = STATUS_LIST_SIZE): string {
  const bytes = new Uint8Array(size / 8);
  for (const i of setIndexes) {
    if (i < 0 || i >= size) continue;
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Reads one bit of an encoded list (used by the upload check; verifiers do the same). */
export function statusBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url ("u" prefix)');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (index < 0 || index >= bytes.length * 8) throw new Error('status index outside the list');
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
