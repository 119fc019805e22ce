import type { Logger } from 'pino';
import type { Database } from '../store/types';
import { failureLevel } from '../store/availability';
import { bumpSettingsVersion, sharedOrgState, type OrgPause } from '../store/state/orgs';

export interface OtherInstancesWatchOptions {
  db: Database;
  orgId: string;
  logger: Logger;
  /** How often the shared state is read. */
  intervalMs: number;
  /** False before the runtime has started and once it stops: the watch then does nothing. */
  active: () => boolean;
  isLeader: () => boolean;
  reloadSettings: () => Promise<void>;
  /** This instance's pause generation (PauseControl.generation), taken before each look. */
  pauseGeneration: () => number;
  /**
   * Told the shared pause at every look, with the generation taken before it was read, to follow a pause
   * or resume of another instance (and ignore a read this instance's own pause or resume overtook).
   */
  followPause: (pause: OrgPause | null, readAt: number) => Promise<void>;
}

/**
 * What another instance did to the org: the leader reloaded the settings ("configuration changed"
 * reaches it alone), so this one reloads too; or it paused or resumed (the command reaches the leader,
 * the guard trips on any), so this one follows — no instance keeps applying, writing back or
 * reconciling, or serves the phone API with old settings.
 */
export class OtherInstancesWatch {
  /** The leader's count of settings reloads that this instance has loaded. */
  private settingsVersion = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OtherInstancesWatchOptions) {}

  /** The count read at start, when every instance loads the settings itself. */
  loaded(settingsVersion: number): void {
    this.settingsVersion = settingsVersion;
  }

  /** The leader reloaded: counted, for the other instances to reload too. */
  async counted(): Promise<void> {
    this.settingsVersion = await bumpSettingsVersion(this.options.db, this.options.orgId);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.look().catch((err: unknown) =>
        this.options.logger[failureLevel(err, 'warn')]({ err }, 'could not read the state other instances share'),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async look(): Promise<void> {
    if (!this.options.active()) return;
    const readAt = this.options.pauseGeneration();
    const { pause, settingsVersion } = await sharedOrgState(this.options.db, this.options.orgId);
    if (settingsVersion !== this.settingsVersion && !this.options.isLeader()) {
      this.settingsVersion = settingsVersion;
      await this.options.reloadSettings();
    }
    await this.options.followPause(pause, readAt);
  }
}
