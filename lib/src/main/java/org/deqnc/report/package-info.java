/**
 * Solver reports: {@link org.deqnc.report.FixedPointProblem} (seeded batched fixed-point problems to compare
 * solvers on) and {@link org.deqnc.report.SolverReports} (run several solvers on one problem; their stats as a
 * table and their convergence as a chart from {@link org.deqnc.chart}) — what {@code %solve} shows.
 */
package org.deqnc.report;
