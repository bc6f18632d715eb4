// The part of jest's global API that AWS's example tests use, over vitest's `vi`.
import { vi, type Mock } from "vitest";

type AnyFunction = (...args: any[]) => any;

/**
 * jest lets `new` call a mock whose implementation is an arrow function (and returns what it
 * returns); vitest 4 constructs the implementation. A plain function wrapper restores jest's way.
 */
const constructible = (impl: AnyFunction | undefined): AnyFunction | undefined =>
  impl && !impl.prototype
    ? function (this: unknown, ...args: unknown[]) {
        return impl.apply(this, args);
      }
    : impl;

function fn(impl?: AnyFunction): Mock {
  const mock = vi.fn(constructible(impl));
  const setImplementation = mock.mockImplementation.bind(mock);
  mock.mockImplementation = (next: AnyFunction) => setImplementation(constructible(next)!);
  return mock;
}

const jest = {
  fn,
  spyOn: vi.spyOn,
  setTimeout: (ms: number) => vi.setConfig({ testTimeout: ms }),
};
Object.assign(globalThis, { jest });
