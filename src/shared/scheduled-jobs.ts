import { Schema, type Connection } from 'mongoose';
import { defineModel } from '../db/define-model.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';

interface JobRunDoc {
  _id: string;
  job: string;
  at: Date;
  instance: string;
}

interface Job {
  name: string;
  intervalMs: number;
  task: () => Promise<void>;
  timer?: NodeJS.Timeout;
}

export interface ScheduledJobs {
  /** Runs `task` once per interval across every app instance that shares the database. */
  every(name: string, intervalMs: number, task: () => Promise<void>): void;
  /** Runs each job whose current interval nobody has claimed yet; returns the names this instance ran. */
  runDue(): Promise<string[]>;
  /** Starts the timers (after the app has started). */
  start(): void;
  /** Stops the timers; a run in progress finishes on its own. */
  stop(): Promise<void>;
}

/** Claims are kept a day so an instance whose clock lags a little still finds its slot taken. */
const KEEP_CLAIMS_MS = 24 * 60 * 60_000;

/**
 * Periodic background work (clean-ups) for any number of app instances on one database, without a
 * broker or a leader: each interval is a slot, and the instance that first inserts the slot's claim
 * (a unique _id) runs the job; the others get a duplicate key and skip it. Every write is
 * acknowledged (the default write concern), never fire-and-forget.
 */
export function createScheduledJobs(opts: { connection: Connection; clock: Clock; logger: Logger; instance: string }): ScheduledJobs {
  const schema = new Schema<JobRunDoc>(
    { _id: { type: String, required: true }, job: { type: String, required: true }, at: { type: Date, required: true, index: true }, instance: String },
    { collection: 'job_runs', versionKey: false },
  );
  const JobRun = defineModel(opts.connection, 'JobRun', schema);
  const jobs = new Map<string, Job>();
  const running = new Set<Promise<unknown>>();
  let started = false;

  async function claim(job: Job): Promise<boolean> {
    const now = opts.clock.now();
    const slot = Math.floor(now.getTime() / job.intervalMs) * job.intervalMs;
    try {
      await JobRun.create({ _id: `${job.name}@${new Date(slot).toISOString()}`, job: job.name, at: now, instance: opts.instance });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async function runIfDue(job: Job): Promise<boolean> {
    if (!(await claim(job))) return false;
    await job.task();
    return true;
  }

  function tick(job: Job): void {
    const run = runIfDue(job)
      .catch((err: unknown) => opts.logger.warn({ err, job: job.name }, 'scheduled job failed'))
      .finally(() => running.delete(run));
    running.add(run);
  }

  function arm(job: Job): void {
    job.timer = setInterval(() => tick(job), job.intervalMs);
    job.timer.unref();
  }

  function every(name: string, intervalMs: number, task: () => Promise<void>): void {
    if (jobs.has(name)) throw new Error(`scheduled job ${name} is registered twice`);
    const job: Job = { name, intervalMs, task };
    jobs.set(name, job);
    if (started) arm(job);
  }

  every('job-runs-clean-up', 60 * 60_000, async () => {
    await JobRun.deleteMany({ at: { $lt: new Date(opts.clock.now().getTime() - KEEP_CLAIMS_MS) } });
  });

  return {
    every,
    async runDue() {
      const ran: string[] = [];
      for (const job of jobs.values()) if (await runIfDue(job)) ran.push(job.name);
      return ran;
    },
    start() {
      if (started) return;
      started = true;
      for (const job of jobs.values()) arm(job);
    },
    async stop() {
      for (const job of jobs.values()) clearInterval(job.timer);
      await Promise.allSettled([...running]);
    },
  };
}
