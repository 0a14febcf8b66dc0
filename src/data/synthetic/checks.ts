/** Parameter checks of the synthetic models: the shared ones in src/core/param-check.ts. */
export { checkNumber, checkFinite, throwIssues, type Issue, type NumberRule } from '../../core/param-check.ts';
