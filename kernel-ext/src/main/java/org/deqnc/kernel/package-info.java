/** The bundled java-deq Jupyter kernel: a small JShell kernel on jjava-jupyter. */
package org.deqnc.kernel;
