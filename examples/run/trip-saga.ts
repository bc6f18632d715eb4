/**
 * A saga with compensation: book a flight, a hotel and a car; when a booking fails, undo
 * the ones already made, newest first, then fail. Every booking and every undo is a step,
 * so each runs once even if the process dies in the middle of the saga.
 *
 *   npx replayable run examples/run/trip-saga.ts --input '{"tripId":"t-9"}'                    # succeeds
 *   npx replayable run examples/run/trip-saga.ts --input '{"tripId":"t-9","failAt":"car"}'     # compensates, exit code 1
 */
import { randomUUID } from "node:crypto";
import { retryPresets, withDurableExecution, type DurableContext } from "replayable";

type Booking = "flight" | "hotel" | "car";

interface Trip {
  tripId: string;
  /** Make this booking fail, to see the compensation. */
  failAt?: Booking;
}

/** A stand-in for a booking API. Step code may be non-deterministic: its result is recorded. */
async function book(trip: Trip, what: Booking): Promise<string> {
  if (trip.failAt === what) throw new Error(`no ${what} available for trip ${trip.tripId}`);
  return `${what}-${randomUUID().slice(0, 8)}`;
}

async function cancel(confirmation: string): Promise<string> {
  return `cancelled ${confirmation}`;
}

export const tripSaga = withDurableExecution(async (trip: Trip, context: DurableContext) => {
  const booked: string[] = [];
  try {
    for (const what of ["flight", "hotel", "car"] as const) {
      // No retries: a refused booking is an answer, not a glitch.
      booked.push(await context.step(`book-${what}`, async () => book(trip, what), { retryStrategy: retryPresets.noRetry }));
    }
  } catch (error) {
    for (const confirmation of [...booked].reverse()) {
      await context.step(`cancel-${confirmation.split("-")[0]}`, async () => cancel(confirmation));
    }
    context.logger.warn(`trip ${trip.tripId} rolled back: ${booked.length} booking(s) cancelled`);
    throw new Error(`trip ${trip.tripId} not booked (${(error as Error).message}); cancelled ${booked.join(", ") || "nothing"}`);
  }
  return { tripId: trip.tripId, bookings: booked };
});
