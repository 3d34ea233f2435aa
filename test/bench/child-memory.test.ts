// The soak reads the server's memory through the bench child's `mem` line: checked here, so a change
// of that protocol cannot quietly leave the soak printing zeros.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startChildTarget } from '../../bench/child-target.js';
import { SANDBOX_NODE_FLAGS } from '../../bench/bench-settings.js';

test("a bench child reports its resident size, committed heap and the last full collection's heap", async () => {
  const child = await startChildTarget('./sandbox-child.js', [], { nodeArgs: SANDBOX_NODE_FLAGS });
  try {
    const memory = await child.memory?.();
    assert.ok(memory, 'the child answers mem');
    assert.ok(memory.rss > 20 * 2 ** 20, `rss ${memory.rss}`);
    assert.ok(
      memory.heapCommitted > 2 ** 20 && memory.heapCommitted < memory.rss,
      `heap ${memory.heapCommitted}`,
    );
    // null until V8 has run a full collection of its own; the soak forces none.
    if (memory.keptAfterFullGc !== null) {
      assert.ok(memory.keptAfterFullGc > 2 ** 20 && memory.keptAfterFullGc <= memory.heapCommitted);
    }
    const again = await child.memory?.();
    assert.ok(again && again.rss > 0, 'a second mem line is answered too');
  } finally {
    await child.stop();
  }
});
