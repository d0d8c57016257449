// RankerError: the one error type of the reelrank package.

/**
 * Error thrown (or rejected) by every reelrank call. `code` is a stable
 * machine name ("invalid_argument", "not_found", "failed_precondition",
 * "data_loss", "unimplemented", "internal", "closed", "unavailable",
 * "storage"); the message names the offending field first.
 */
export class RankerError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'RankerError';
    this.code = code;
  }
}

// Core errors arrive as returned Error values "code: field: reason"; success
// of a void call is null. Returns the value or throws a RankerError.
export function unwrap(result) {
  if (result instanceof Error) {
    const m = /^([a-z_]+): ([\s\S]*)$/.exec(result.message);
    throw m ? new RankerError(m[1], m[2]) : new RankerError('internal', result.message);
  }
  return result;
}

export function invalid(field, reason) {
  return new RankerError('invalid_argument', `${field}: ${reason}`);
}
