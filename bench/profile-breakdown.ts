/**
 * Where a V8 CPU profile's time went within a window (`npx tsx bench/profile-breakdown.ts <file.cpuprofile>
 * [<from µs> <to µs>]`, the window as `bench/busy-cpu.ts` prints it): self time by function and by package
 * or source file, and inclusive time of the heaviest functions.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function placeOf(url: string): string {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const build = url.indexOf('bench-build/');
  return build >= 0 ? url.slice(build + 'bench-build/'.length) : url;
}

function main(): void {
  const [file, from, to] = process.argv.slice(2);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let time = profile.startTime;
  let total = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    time += profile.timeDeltas[index];
    if (from && (time < Number(from) || time > Number(to))) continue;
    const delta = profile.timeDeltas[index + 1] ?? 0;
    self.set(profile.samples[index], (self.get(profile.samples[index]) ?? 0) + delta);
    total += delta;
  }
  const selfByFunction = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const frame = node.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${placeOf(frame.url)}:${frame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + micros);
    const place = placeOf(frame.url);
    selfByPlace.set(place, (selfByPlace.get(place) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const ancestor = byId.get(at);
      if (!ancestor) break;
      const key = `${ancestor.callFrame.functionName || '(anonymous)'} ${placeOf(ancestor.callFrame.url)}:${ancestor.callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  }
  const show = (title: string, map: Map<string, number>, count: number) => {
    console.log(`\n${title}`);
    for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      console.log(
        `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      );
    }
  };
  console.log(`${(total / 1000).toFixed(0)} ms sampled`);
  show('self time by package or file', selfByPlace, 30);
  show('self time by function', selfByFunction, 50);
  show('inclusive time', inclusive, 80);
}

main();
