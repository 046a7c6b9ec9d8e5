import { describe, expect, it } from "@jest/globals";
import { firstValueFrom, take, toArray } from "rxjs";
import { RxEventBus, type BearEvent } from "./event-bus";

describe("RxEventBus", () => {
  it("delivers published events with a timestamp", async () => {
    const bus = new RxEventBus();
    const next = firstValueFrom(bus.events);
    bus.publish({ type: "rag:document-ingested", source: "rag" });
    const event = await next;
    expect(event.type).toBe("rag:document-ingested");
    expect(typeof event.timestamp).toBe("number");
  });

  it("filters by exact type and by prefix", async () => {
    const bus = new RxEventBus();
    const got = firstValueFrom(bus.on<BearEvent>("workflow:*", "model:loaded").pipe(take(3), toArray()));
    for (const type of ["rag:progress", "workflow:step-started", "model:unloaded", "model:loaded", "workflow:run-completed"]) {
      bus.publish({ type, source: "test" });
    }
    expect((await got).map((e) => e.type)).toEqual(["workflow:step-started", "model:loaded", "workflow:run-completed"]);
  });

  it("completes subscribers on dispose", async () => {
    const bus = new RxEventBus();
    const all = firstValueFrom(bus.events.pipe(toArray()));
    bus.publish({ type: "a", source: "t" });
    bus.dispose();
    expect((await all).map((e) => e.type)).toEqual(["a"]);
  });
});
