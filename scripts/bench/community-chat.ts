/**
 * `npm run bench:chat` (not a test): the live chat through one app instance, measured in one run.
 *   1. Throughput: SENDERS members of one Klassenzimmer each POST MESSAGES chat messages at once
 *      (within the rate limit: at most 10 per person in 10 s), LISTENERS open SSE streams receive
 *      them. Prints messages/s accepted, messages/s fully delivered (on every stream) and fan-out
 *      deliveries/s, and the ratio of chat POSTs to bare inserts of the same documents (what the
 *      membership check, rate limit and presentation cost on top of the write).
 *   2. Latency: single messages one after the other; from the POST's start to the event on each
 *      stream; median and p95.
 * Settings: BENCH_SENDERS (default 50), BENCH_MESSAGES (per sender, default 10, at most 10),
 * BENCH_LISTENERS (default 20), BENCH_LATENCY (messages, default 50), MONGODB_URI (else the
 * embedded database of database.md in a temp dir: FerretDB here, so fan-out is in process).
 */
import { createCommunityRepository } from '../../src/community/repository.ts';
import { bootLrsBench, csrfOf, loginCookie, median, percentile, runBench } from './bench-support.ts';

const SENDERS = Number(process.env.BENCH_SENDERS ?? 50);
const MESSAGES = Math.min(10, Number(process.env.BENCH_MESSAGES ?? 10));
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 20);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 50);
const out = (line = '') => process.stdout.write(`${line}\n`);

interface Listener {
  received: Map<string, number>;
  close(): void;
  onEvent?: (text: string, at: number) => void;
}

/** An EventSource stand-in: parses "data:" lines of the stream and notes when each text arrived. */
async function listen(url: string, cookie: string): Promise<Listener> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream ${res.status}`);
  const l: Listener = { received: new Map(), close: () => controller.abort() };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('');
          if (!/^event:\s*message\s*$/m.test(block) || !data) continue;
          const text = (JSON.parse(data) as { text: string }).text;
          const at = performance.now();
          l.received.set(text, at);
          l.onEvent?.(text, at);
        }
      }
    } catch {
      // closed
    }
  })();
  return l;
}

async function main() {
  const bench = await bootLrsBench();
  const { running } = bench;
  const base = running.url;
  try {
    const accounts = running.app.accounts.service;
    const people: Array<{ id: string; cookie: string; token: string }> = [];
    const count = Math.max(SENDERS, LISTENERS);
    out(`Aufbau: ${count} Mitglieder eines Klassenzimmers …`);
    for (let i = 0; i < count; i += 1) {
      const password = `Bench-Passwort-${i}`;
      const email = `chat${i}@bench.example.org`;
      const u = await accounts.register({ name: `Person ${i}`, email, organisation: 'Bench', region: 'saarland', password, passwordConfirm: password });
      const cookie = await loginCookie(base, email, password);
      const token = csrfOf(await (await fetch(`${base}/profile`, { headers: { cookie } })).text())!;
      people.push({ id: u.id, cookie, token });
    }
    const cohort = await running.app.qualification.service.planning.createCohort({
      name: 'Bench',
      region: 'saarland',
      trainerIds: [],
      learnerIds: people.map((p) => p.id),
    });
    const key = `cohort-${cohort.id}`;
    const streamUrl = `${base}/api/community/spaces/${key}/chat/stream`;
    const listeners = await Promise.all(people.slice(0, LISTENERS).map((p) => listen(streamUrl, p.cookie)));
    const post = (p: (typeof people)[number], text: string) =>
      fetch(`${base}/api/community/spaces/${key}/chat`, {
        method: 'POST',
        headers: { cookie: p.cookie, 'x-csrf-token': p.token, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ text }),
      }).then(async (r) => {
        if (r.status !== 201) throw new Error(`chat POST ${r.status}: ${await r.text()}`);
      });

    // 1. throughput
    const total = SENDERS * MESSAGES;
    const allDelivered = new Promise<number>((resolve) => {
      let done = 0;
      for (const l of listeners)
        l.onEvent = () => {
          if ([...l.received.keys()].filter((t) => t.startsWith('T ')).length === total) {
            done += 1;
            if (done === listeners.length) resolve(performance.now());
          }
        };
    });
    const t0 = performance.now();
    await Promise.all(
      people.slice(0, SENDERS).map(async (p, s) => {
        for (let m = 0; m < MESSAGES; m += 1) await post(p, `T ${s}-${m}`);
      }),
    );
    const accepted = performance.now();
    const delivered = await Promise.race([
      allDelivered,
      new Promise<number>((_r, reject) =>
        setTimeout(() => reject(new Error(`not all delivered within 60 s: ${listeners.map((l) => l.received.size).join(',')}`)), 60_000),
      ),
    ]);
    const acceptedRate = total / ((accepted - t0) / 1000);
    const deliveredRate = total / ((delivered - t0) / 1000);

    // the same documents through the repository alone: what a message costs without the HTTP, membership and presentation
    const repo = createCommunityRepository(running.connection);
    const r0 = performance.now();
    await Promise.all(
      people.slice(0, SENDERS).map(async (p, s) => {
        for (let m = 0; m < MESSAGES; m += 1)
          await repo.insertChat({ spaceKey: 'cohort-000000000000000000000000', authorId: p.id, text: `R ${s}-${m}`, hidden: false, at: new Date() });
      }),
    );
    const rawRate = total / ((performance.now() - r0) / 1000);

    // 2. latency, one message at a time (a fresh sender each time keeps within the rate limit)
    await new Promise((r) => setTimeout(r, 10_500));
    for (const l of listeners) l.onEvent = undefined;
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY; i += 1) {
      const text = `L ${i}`;
      const sender = people[i % people.length]!;
      const start = performance.now();
      const arrived = Promise.all(
        listeners.map(
          (l) =>
            new Promise<void>((resolve) => {
              const check = setInterval(() => {
                if (l.received.has(text)) {
                  clearInterval(check);
                  resolve();
                }
              }, 1);
            }),
        ),
      );
      await post(sender, text);
      await arrived;
      for (const l of listeners) latencies.push(l.received.get(text)! - start);
    }

    out();
    out(`Live-Chat über eine Instanz (${running.app.community.bus.kind}), ${SENDERS} Absender × ${MESSAGES} Nachrichten, ${LISTENERS} offene Streams`);
    out(`  angenommen (POST 201):         ${acceptedRate.toFixed(0)} Nachrichten/s`);
    out(`  auf allen Streams angekommen:  ${deliveredRate.toFixed(0)} Nachrichten/s  (${(deliveredRate * LISTENERS).toFixed(0)} Zustellungen/s)`);
    out(`  nur Einfügen (Repository):     ${rawRate.toFixed(0)} Nachrichten/s`);
    out(`  Verhältnis POST / Einfügen:    ${(acceptedRate / rawRate).toFixed(2)}`);
    out(`Zustellzeit (POST-Beginn bis Ereignis im Stream), ${LATENCY} Nachrichten × ${LISTENERS} Streams:`);
    out(`  Median ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    for (const l of listeners) l.close();
  } finally {
    await bench.stop();
  }
}

runBench(main);
