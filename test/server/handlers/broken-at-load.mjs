// A function whose module throws while it loads (Lambda's init phase): serve must not retry it forever.
throw new Error("the orders table is not configured (set ORDERS_TABLE)");
