import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickRule } from './rule-match.js';

const rule = (id: string, provider: string, spec: [number, number, number] | null) => ({ id, provider, cpuCores: spec?.[0] ?? null, memoryMb: spec?.[1] ?? null, storageGb: spec?.[2] ?? null });
const RULES = [rule('redroid-2', 'REDROID', [2, 4096, 32]), rule('redroid-default', 'REDROID', null), rule('huawei-8', 'HUAWEI_CPH', [8, 16_384, 128])];

test('the rule of the exact provider and spec wins over the provider default', () => {
  assert.equal(pickRule(RULES, 'REDROID', { cpuCores: 2, memoryMb: 4096, storageGb: 32 })?.id, 'redroid-2');
});

test("a spec without its own rule takes its provider's default", () => {
  assert.equal(pickRule(RULES, 'REDROID', { cpuCores: 2, memoryMb: 4096, storageGb: 64 })?.id, 'redroid-default', 'storage is part of the spec');
});

test("no rule of the provider (exact or default) means no rule: another provider's rules never match", () => {
  assert.equal(pickRule(RULES, 'HUAWEI_CPH', { cpuCores: 4, memoryMb: 8192, storageGb: 64 }), undefined);
  assert.equal(pickRule(RULES, 'PHYSICAL', { cpuCores: 2, memoryMb: 4096, storageGb: 32 }), undefined);
});
