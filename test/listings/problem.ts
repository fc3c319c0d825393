/** The one problem-details check of the suite (test/helpers/problem.ts), under the name these tests import. */
export { expectProblem } from "../helpers/problem";
