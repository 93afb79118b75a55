import { ConflictError, ForbiddenError, NotFoundError, type AppError } from '@nursing/contracts';
import type { TransitionFailure } from './order-store.ts';

/** Turns a refused transition into the error the caller sees. */
export function transitionError(orderId: string, code: TransitionFailure, state: string, action: string): AppError {
  switch (code) {
    case 'NOT_FOUND':
      return new NotFoundError('order', orderId);
    case 'OFFER_NOT_ACTIVE':
      return new ConflictError('OFFER_NOT_ACTIVE', `no live offer of order ${orderId} for you (order is ${state})`);
    case 'ORDER_TAKEN':
      return new ConflictError('ORDER_TAKEN', `order ${orderId} is already taken or the grab window has closed`);
    case 'FORBIDDEN':
      return new ForbiddenError(`you may not ${action} order ${orderId}`);
    case 'ILLEGAL_TRANSITION':
    case 'ALREADY_OFFERED':
      return new ConflictError('ILLEGAL_TRANSITION', `cannot ${action} order ${orderId} while it is ${state}`);
  }
}
