package org.deqnc.theory.kernels;

/**
 * A kernel of Ling et al.'s high-dimensional form, fixed by four scalars:
 * <pre>
 *   linear * X^T X + V A V^T + diagonal * I_n,   V = [J/sqrt(p), psi],
 *   A = [[ mean t t^T + covariance T,  mean t ], [ mean t^T,  mean ]]
 * </pre>
 * so that {@code (V A V^T)_ij = mean (t_a/sqrt(p) + psi_i)(t_b/sqrt(p) + psi_j) + covariance T_ab / p}
 * for i in class a and j in class b. The CK equivalent Ḡ, its φ-part, the NTK equivalent K̄ and the explicit
 * networks' CK equivalents all have this form; only the scalars differ.
 */
public record EquivalentKernel(String name, double linear, double mean, double covariance, double diagonal) {

    /** The n x n matrix for these inputs. */
    public double[][] matrix(KernelInputs inputs) {
        double[][] g = inputs.gram();
        int n = inputs.size();
        double rootP = Math.sqrt(inputs.dimension());
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = inputs.t()[inputs.labels()[i]] / rootP + inputs.psi()[i];
        }
        double[][] bigT = inputs.bigT();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = linear * g[i][j] + mean * u[i] * u[j]
                        + covariance * bigT[inputs.labels()[i]][inputs.labels()[j]] / inputs.dimension();
            }
            g[i][i] += diagonal;
        }
        return g;
    }

    /** The four scalars as one array (linear, mean, covariance, diagonal), e.g. for matching residuals. */
    public double[] scalars() {
        return new double[]{linear, mean, covariance, diagonal};
    }
}
