/**
 * Order payment, written against the AWS SDK (@aws/durable-execution-sdk-js).
 *
 * Reserve stock, charge the card, wait out the settlement window, confirm the order.
 * The handler body is orchestration code: after every wait or step the function is
 * replayed from its first line, and completed steps return their recorded results.
 * Everything outside `context.step(...)` must therefore do the same thing on every replay.
 */
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";

const dynamo = new DynamoDBClient({});
const PAYMENTS_API = "https://payments.internal.example.com";

interface OrderEvent {
  orderId: string;
  customerId: string;
  amountCents: number;
  items: { sku: string; quantity: number }[];
}

export const processOrder = withDurableExecution(async (event: OrderEvent, context: DurableContext) => {
  // MISTAKE: a new timestamp on every replay. The record below and the `late` check
  // at the end would see a different "received" time each time the handler replays.
  const receivedAt = Date.now(); // expect: no-nondeterminism-outside-step

  // MISTAKE: a different idempotency key on every replay. If the invocation dies while
  // the charge step runs, the step runs again after the replay with a new key: a second
  // charge, as far as the payment provider can tell.
  const idempotencyKey = `${event.orderId}-${Math.random().toString(36).slice(2)}`; // expect: no-nondeterminism-outside-step

  // MISTAKE: printed again on every replay; context.logger is silent while replaying.
  console.log("processing order", event.orderId, event.items.length); // expect: replay-aware-logging

  // MISTAKE: a DynamoDB write in orchestration code repeats on every replay, and its
  // result is not recorded.
  await dynamo.send(new PutItemCommand({ TableName: "orders", Item: { pk: { S: event.orderId } } })); // expect: no-io-outside-step

  // RIGHT: the reservation runs once; on replay the step returns the recorded result.
  const reservation = await context.step("reserve-stock", async () => {
    const response = await fetch("https://inventory.internal.example.com/reservations", {
      method: "POST",
      body: JSON.stringify({ orderId: event.orderId, items: event.items }),
    });
    if (!response.ok) throw new Error(`reservation failed: ${response.status}`);
    return (await response.json()) as { reservationId: string };
  });

  // RIGHT: inside a step the clock, randomness and network are fine: the step's
  // result is checkpointed, so a replay never runs this code again.
  const charge = await context.step("charge-card", async () => {
    const response = await fetch(`${PAYMENTS_API}/charges`, {
      method: "POST",
      headers: { "Idempotency-Key": idempotencyKey, "X-Requested-At": new Date().toISOString() },
      body: JSON.stringify({ customerId: event.customerId, amountCents: event.amountCents }),
    });
    if (!response.ok) throw new Error(`charge failed: ${response.status}`);
    return (await response.json()) as { chargeId: string; settledAt: number };
  });

  await context.wait("settlement-window", { minutes: 10 });

  await context.step("confirm-order", async () => {
    await dynamo.send(
      new UpdateItemCommand({
        TableName: "orders",
        Key: { pk: { S: event.orderId } },
        UpdateExpression: "SET #s = :paid, chargeId = :charge, reservationId = :reservation",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":paid": { S: "PAID" },
          ":charge": { S: charge.chargeId },
          ":reservation": { S: reservation.reservationId },
        },
      }),
    );
  });

  context.logger.info("order confirmed", { orderId: event.orderId });
  const late = charge.settledAt - receivedAt > 60_000;
  return { orderId: event.orderId, chargeId: charge.chargeId, late };
});
