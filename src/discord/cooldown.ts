// Per-user cooldowns. Entries are dropped once expired, so memory stays proportional to recent users.
export class Cooldowns {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 and starts the cooldown when the key may proceed; otherwise the milliseconds left. */
  take(key: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.now();
    const until = this.until.get(key);
    if (until !== undefined && until > now) return until - now;
    if (this.until.size > 1000) for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
    this.until.set(key, now + this.seconds * 1000);
    return 0;
  }
}
