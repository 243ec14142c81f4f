/**
 * Coursework grading: {@link org.deqnc.grading.Check}, the assertions that test cells of the assignments in
 * {@code notebooks/coursework/} call (see docs/coursework.md).
 */
package org.deqnc.grading;
