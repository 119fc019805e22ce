import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problems } from './compare';
import { defaultServer } from './database';
import { badInputWhileSyncing } from './badInput';
import { killDuringApply, killDuringInitialSync, killDuringWriteBack } from './killTrials';
import { apiFaults, backendsTerminated, clusterRestart, coldRestartAndPause } from './outageTrials';
import type { ChaosContext, ScenarioResult } from './scenario';

export interface ChaosOptions {
  records: number;
  trials: number;
  seed: number;
  settleDeadlineMs?: number;
  /** Scenario names (or a part of one) to run; all when empty. */
  only?: string[];
}

/** One figure as one JSON line; `correctness` figures must be 0, the others are measurements. */
export interface Figure {
  figure: string;
  value: number;
  trials: number;
  records: number;
  seed: number;
  correctness: boolean;
  examples?: string[];
  skipped?: string;
}

const SCENARIOS: Array<{ name: string; run(ctx: ChaosContext): Promise<ScenarioResult | ScenarioResult[]> }> = [
  { name: 'initial sync', run: killDuringInitialSync },
  { name: 'apply', run: killDuringApply },
  { name: 'write-back', run: killDuringWriteBack },
  { name: 'cold restart', run: coldRestartAndPause },
  { name: 'backends', run: backendsTerminated },
  { name: 'cluster', run: clusterRestart },
  { name: 'faults', run: apiFaults },
  { name: 'bad input', run: badInputWhileSyncing },
];

/** The figures of one scenario, in a fixed order. */
export function figuresOf(result: ScenarioResult, options: ChaosOptions): Figure[] {
  const base = { trials: result.trials, records: options.records, seed: options.seed };
  if (result.skipped) {
    return [{ figure: `${result.name}: skipped`, value: 0, ...base, correctness: false, skipped: result.skipped }];
  }
  const t = result.tally;
  const examples = problems(t) > 0 ? { examples: t.examples } : {};
  return [
    { figure: `${result.name}: records lost`, value: t.lost, ...base, correctness: true, ...examples },
    { figure: `${result.name}: records doubled`, value: t.doubled, ...base, correctness: true },
    { figure: `${result.name}: records nobody made`, value: t.unexpected, ...base, correctness: true },
    {
      figure: `${result.name}: field values differing between org and directory`,
      value: t.differing,
      ...base,
      correctness: true,
    },
    { figure: `${result.name}: changes lost on both sides`, value: t.changesLost, ...base, correctness: true },
    { figure: `${result.name}: service crashes`, value: result.crashes, ...base, correctness: true },
    ...result.extra.map((e) => ({
      figure: `${result.name}: ${e.figure}`,
      value: e.value,
      ...base,
      correctness: e.correctAtZero,
    })),
    {
      figure: `${result.name}: trials not settled by the deadline`,
      value: result.unsettled,
      ...base,
      correctness: false,
    },
    {
      figure: `${result.name}: longest settle after the last disruption (ms)`,
      value: result.settleMsMax,
      ...base,
      correctness: false,
    },
  ];
}

/**
 * Runs the scenarios and hands each figure to `emit` as soon as its scenario ends. Returns every figure, or
 * a reason why nothing could run here (no PostgreSQL).
 */
export async function runChaos(options: ChaosOptions, emit: (figure: Figure) => void): Promise<Figure[] | string> {
  const server = await defaultServer();
  if (typeof server === 'string') return server;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
  const ctx: ChaosContext = {
    server,
    dir,
    records: options.records,
    trials: options.trials,
    seed: options.seed,
    settleDeadlineMs: options.settleDeadlineMs ?? 90_000,
    worlds: 0,
  };
  const all: Figure[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (options.only?.length && !options.only.some((part) => scenario.name.includes(part))) continue;
      const results = await scenario.run(ctx);
      for (const result of Array.isArray(results) ? results : [results]) {
        for (const figure of figuresOf(result, options)) {
          all.push(figure);
          emit(figure);
        }
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return all;
}

/** The correctness figures that are not 0. */
export const wrongFigures = (figures: Figure[]): Figure[] => figures.filter((f) => f.correctness && f.value !== 0);
