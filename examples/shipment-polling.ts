/**
 * Shipment tracking by polling, written against replayable.
 *
 * `trackShipment` is found as orchestration code by its `DurableContext` parameter, not
 * by its name: any function that receives a durable context replays. It books a pickup,
 * then polls the carrier with `waitForCondition` until the parcel is delivered.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution, type DurableContext } from "replayable";

const CARRIER_API = "https://api.carrier.example.com/v2";

interface Shipment {
  orderId: string;
  address: string;
  parcels: number;
}

interface TrackingState {
  trackingNumber: string;
  status: "booked" | "in-transit" | "delivered" | "lost";
  checks: number;
}

export async function trackShipment(context: DurableContext, shipment: Shipment) {
  // MISTAKE: a new booking reference on every replay; the carrier sees duplicates.
  const bookingRef = randomUUID(); // expect: no-nondeterminism-outside-step

  // MISTAKE: the deadline moves forward on every replay, so the parcel is never late.
  const deadline = new Date(); // expect: no-nondeterminism-outside-step
  deadline.setDate(deadline.getDate() + 5);

  const booking = await context.step("book-pickup", async () => {
    const response = await fetch(`${CARRIER_API}/pickups`, {
      method: "POST",
      headers: { "Idempotency-Key": `${shipment.orderId}-pickup` },
      body: JSON.stringify({ bookingRef, address: shipment.address, parcels: shipment.parcels }),
    });
    return (await response.json()) as { trackingNumber: string };
  });

  // MISTAKE: waiting for the carrier's systems with a timer instead of context.wait.
  await sleep(30_000); // expect: no-timers

  // RIGHT: the check function is step code; each poll's result is recorded, and the
  // waits between polls are durable (the function suspends instead of sleeping).
  const final = await context.waitForCondition(
    "await-delivery",
    async (state: TrackingState) => {
      const response = await fetch(`${CARRIER_API}/tracking/${state.trackingNumber}`);
      const { status } = (await response.json()) as { status: TrackingState["status"] };
      return { ...state, status, checks: state.checks + 1 };
    },
    {
      initialState: { trackingNumber: booking.trackingNumber, status: "booked", checks: 0 },
      waitStrategy: (state) =>
        state.status === "delivered" || state.status === "lost"
          ? { shouldContinue: false }
          : { shouldContinue: true, delay: { hours: state.checks < 6 ? 1 : 6 } },
    },
  );

  return { ...final, late: context.now() > deadline.getTime() };
}

export const handler = withDurableExecution(async (event: Shipment, context: DurableContext) => {
  const tracking = await trackShipment(context, event);
  if (tracking.status === "lost") {
    await context.step("open-claim", async () => {
      await fetch(`${CARRIER_API}/claims`, { method: "POST", body: JSON.stringify({ trackingNumber: tracking.trackingNumber }) });
    });
  }
  return tracking;
});
