/**
 * Rules: input events (alarm inputs, ADKEY keys, day/night) -> actions on blocks, groups and
 * the GPIO board's outputs. The rig file's `rules:` section; see docs/gpio.md.
 */
export { buildRules } from './build-rules.js';
export { fires, HeldMotions, type HeldMotion, matchEvent, type PlannedAction } from './match.js';
export { RuleEngine, type RuleBlock, type RuleEngineEvents, type RuleEngineOptions, type RuleErrorEvent, type RuleGroup, type RuleSignals, type RuleTargets } from './rule-engine.js';
export { RULES_SCHEMA } from './rule-schema.js';
export { describeAction, describeEvent, type RuleAction, type RuleConfig, type RuleEvent, type RuleTarget, type RuleTrigger } from './types.js';
