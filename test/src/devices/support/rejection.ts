import { expect } from 'vitest';
import { ZoomsyncError } from '../../../../protocols/errors.js';

/** The ZoomsyncError a promise rejects with (fails the test if it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<ZoomsyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ZoomsyncError);
    return error as ZoomsyncError;
  }
  throw new Error('expected a rejection');
}
