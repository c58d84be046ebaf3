/** Events per second over a sliding window of whole seconds, for /api/ws/stats. */
export function createRateMeter(windowSec: number, now: () => number) {
  const buckets = new Array<number>(windowSec).fill(0);
  let current = Math.floor(now() / 1000);

  function roll(): void {
    const second = Math.floor(now() / 1000);
    const steps = Math.min(second - current, windowSec);
    for (let i = 1; i <= steps; i++) buckets[(current + i) % windowSec] = 0;
    if (second > current) current = second;
  }

  return {
    add(count: number): void {
      roll();
      const index = current % windowSec;
      buckets[index] = (buckets[index] ?? 0) + count;
    },
    /** Average over the completed seconds of the window. */
    perSecond(): number {
      roll();
      let sum = 0;
      buckets.forEach((value, index) => {
        if (index !== current % windowSec) sum += value;
      });
      return Math.round((sum / (windowSec - 1)) * 10) / 10;
    },
  };
}
