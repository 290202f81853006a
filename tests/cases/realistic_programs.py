"""Realistic programs, one function each, written the way a user writes them.

Not adapted to what symdiff accepts: each is plain Python/NumPy as it would be
written for NumPy alone (in-place buffers, params dicts, comprehensions, lists of
coefficients, `math.factorial`, `np.linalg`, SciPy where a user would reach for
it). `CASES` gives for each the arguments to call it at (surface/table.py's
format) and what to differentiate; each returns one number.
"""

import math

import numpy as np

from .surface.table import (at, case, dict_of, fixed, fixed_normal, labels, list_of, normal, positions,
                            spd, tuple_of, within)

try:
    from scipy.optimize import rosen
    from scipy.special import expit, gammaln, log_softmax, logsumexp, xlogy
except ImportError:  # the cases need="scipy": skipped without it
    rosen = expit = gammaln = log_softmax = logsumexp = xlogy = None


def rnn_final_state(W, U, xs):
    """An Elman RNN over a sequence, its states kept in a preallocated buffer."""
    T, H = xs.shape[0], W.shape[0]
    h = np.zeros((T, H))
    h[0] = np.tanh(U @ xs[0])
    for t in range(1, T):
        h[t] = np.tanh(W @ h[t - 1] + U @ xs[t])
    return np.sum(h[-1] ** 2) + 0.1 * np.sum(h)


def kalman_update(x, P, z, H, R):
    """One Kalman filter measurement update; the loss reads the new mean and covariance."""
    S = H @ P @ H.T + R
    K = np.linalg.solve(S, H @ P).T
    x_new = x + K @ (z - H @ x)
    P_new = (np.eye(len(x)) - K @ H) @ P
    return np.sum(x_new ** 2) + np.trace(P_new)


def gp_negative_log_marginal_likelihood(log_ell, log_sf, log_sn, X, y):
    """A Gaussian process's -log p(y | X) with a squared-exponential kernel."""
    diffs = X[:, None, :] - X[None, :, :]
    sqdist = np.sum(diffs ** 2, axis=-1)
    K = np.exp(2 * log_sf) * np.exp(-0.5 * sqdist / np.exp(2 * log_ell)) + np.exp(2 * log_sn) * np.eye(len(y))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    sign, logdet = np.linalg.slogdet(K)
    return 0.5 * y @ alpha + 0.5 * logdet + 0.5 * len(y) * np.log(2 * np.pi)


def mlp_loss(params, x, y):
    """A two-layer perceptron whose weights come in a dict, as optimizers hand them over."""
    h = np.tanh(params["W1"] @ x + params["b1"])
    out = params["W2"] @ h + params["b2"]
    return 0.5 * np.sum((out - y) ** 2)


def horner(x):
    """A polynomial by Horner's rule over a local list of coefficients."""
    coeffs = [1.0, -2.0, 0.5, 3.0, -1.5]
    result = 0.0
    for c in coeffs:
        result = result * x + c
    return result


def taylor_exp(x):
    """exp(x) by its Taylor series, with the factorials from math."""
    total = 0.0
    for k in range(10):
        total += x ** k / math.factorial(k)
    return total


def fourier_features(w, x):
    """A linear model on features built by a list comprehension."""
    features = [math.sin(k * x) for k in range(1, 4)] + [math.cos(k * x) for k in range(1, 4)]
    return np.dot(w, np.array(features))


def spline_regression(w, x):
    """Truncated-power spline features appended in a loop, one per knot, then a dot product."""
    basis = [1.0, x]
    for knot in (-1.0, 0.0, 1.0):
        basis.append(max(x - knot, 0.0) ** 3)
    return np.dot(w, np.array(basis))


def flat_parameter_mlp(theta, X, y):
    """A one-layer network whose parameters come as one flat vector (an optimizer's
    interface), cut apart with np.split and np.reshape."""
    W, b = np.split(theta, [6])
    hidden = np.tanh(X @ W.reshape(3, 2) + b)
    return np.mean((hidden.sum(axis=1) - y) ** 2)


def smoothed_fit(f, y, lam):
    """A fit to noisy samples with a penalty on its slope by np.gradient (central differences)."""
    return np.sum((f - y) ** 2) + lam * np.sum(np.gradient(f, 0.1) ** 2)


def logistic_nll(w, X, y):
    """Logistic regression's negative log-likelihood, the stable way: log(1 + e^z) = logaddexp(0, z)."""
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z)


def black_scholes_call(S, K, T, r, sigma):
    """The Black-Scholes price of a European call; its gradient holds delta and vega."""
    def N(d):
        return 0.5 * (1.0 + math.erf(d / math.sqrt(2.0)))
    d1 = (math.log(S / K) + (r + 0.5 * sigma ** 2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * N(d1) - K * math.exp(-r * T) * N(d2)


def rk4_decay(y0, k):
    """Ten classical Runge-Kutta steps of dy/dt = -k y + sin(t)."""
    def f(t, y):
        return -k * y + math.sin(t)
    t, y, dt = 0.0, y0, 0.1
    for _ in range(10):
        k1 = f(t, y)
        k2 = f(t + dt / 2, y + dt * k1 / 2)
        k3 = f(t + dt / 2, y + dt * k2 / 2)
        k4 = f(t + dt, y + dt * k3)
        y = y + dt * (k1 + 2 * k2 + 2 * k3 + k4) / 6
        t = t + dt
    return y


def layer_norm(x, gamma, beta):
    """Layer normalization over the features of each row."""
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    out = gamma * (x - mean) / np.sqrt(var + 1e-5) + beta
    return np.sum(np.sin(out))


def attention(Q, K, V):
    """Single-head scaled dot-product attention with a stable softmax."""
    scores = Q @ K.T / np.sqrt(Q.shape[-1])
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / np.sum(weights, axis=-1, keepdims=True)
    return np.sum((weights @ V) ** 2)


def lennard_jones(pos):
    """The Lennard-Jones energy of a few particles, over all pairs."""
    energy = 0.0
    n = pos.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            r = np.linalg.norm(pos[i] - pos[j])
            energy = energy + 4.0 * (r ** -12 - r ** -6)
    return energy


def rosenbrock(x):
    """The Rosenbrock function as scipy.optimize.rosen writes it, with slices."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def scipy_rosen(x):
    """scipy.optimize.rosen itself."""
    return rosen(x)


def softmax_cross_entropy_l2(W, b, X, y, lam):
    """Softmax cross-entropy of a linear classifier plus an L2 penalty."""
    Z = X @ W.T + b
    Z = Z - np.max(Z, axis=1, keepdims=True)
    log_p = Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y]) + lam * np.sum(W ** 2)


def newton_sqrt(a):
    """sqrt(a) by Newton's iteration until it settles."""
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


def huber_loss(pred, y):
    """The Huber loss: quadratic near 0, linear beyond delta."""
    delta = 1.0
    r = pred - y
    return np.sum(np.where(np.abs(r) < delta, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta)))


def least_squares_residual(A, y):
    """The residual of a least-squares fit, through np.linalg.lstsq."""
    coef, _, _, _ = np.linalg.lstsq(A, y, rcond=None)
    return np.sum((A @ coef - y) ** 2) + np.sum(coef ** 2)


def gaussian_mixture_loglik(mu, log_sigma, x):
    """The log-likelihood of data under an equal-weight mixture of two Gaussians."""
    def log_normal(x, m, s):
        return -0.5 * ((x - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
    sigma = np.exp(log_sigma)
    first = log_normal(x, mu[0], sigma[0])
    second = log_normal(x, mu[1], sigma[1])
    return np.sum(np.logaddexp(first, second) - np.log(2.0))


def conv1d_valid(w, x):
    """A 'valid' 1-D convolution built window by window in a comprehension."""
    k = len(w)
    out = np.array([np.dot(w, x[i:i + k]) for i in range(len(x) - k + 1)])
    return np.sum(np.sin(out))


def euler_trajectory(y0, k):
    """Explicit Euler for dy/dt = -k y, the trajectory written into a buffer."""
    T, dt = 6, 0.2
    traj = np.zeros(T)
    traj[0] = y0
    for t in range(1, T):
        traj[t] = traj[t - 1] - dt * k * traj[t - 1]
    return np.sum(traj ** 2)


def accumulate_columns(W, x):
    """Columns accumulated in place with `out[:, k] += ...`."""
    out = np.zeros((W.shape[0], 2))
    for k in range(2):
        out[:, k] += np.tanh(W @ x * (k + 1))
    out += 0.5
    return np.sum(out ** 2)


def standardized(x):
    """Data standardized with a helper that returns its mean and spread as a tuple."""
    m, s = mean_and_spread(x)
    return np.sum(np.sin((x - m) / s))


def mean_and_spread(x):
    return np.mean(x), np.std(x)


def polynomial_by_generator(w, x):
    """sum(w_i x^i) over a generator expression."""
    return sum(w[i] * x ** i for i in range(len(w)))


def weighted_pairs(xs, ys):
    """A loop over enumerate(zip(...)) of two parameter arrays."""
    total = 0.0
    for i, (a, b) in enumerate(zip(xs, ys)):
        total = total + (i + 1) * a * b
    return total


def product_and_sum(x, y):
    """math.prod and math.fsum of a list of numbers."""
    return math.prod([x, y, 2.0]) + math.fsum([x, y, x * y])


def log_sum_exp(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def log_partition(theta):
    """A user's own logsumexp helper, with `axis=None` as its default, called with axis=1."""
    return np.sum(log_sum_exp(theta, axis=1))


def group_lasso(W, X, y):
    """Least squares plus a group-lasso penalty: the 2-norm of each row, np.linalg.norm(ord=, axis=)."""
    return 0.5 * np.sum((X @ W.T - y) ** 2) + 0.1 * np.sum(np.linalg.norm(W, ord=2, axis=1))


def bilinear_einsum(x, A, y):
    """A bilinear form x^T A y as a three-operand einsum."""
    return np.einsum("i,ij,j->", x, A, y)


def logistic_with_expit(w, X, y):
    """Logistic regression's loss through scipy.special.expit."""
    p = expit(X @ w)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def mixture_with_logsumexp(logits, x):
    """A log-likelihood through scipy.special.logsumexp over mixture components."""
    log_w = logits - logsumexp(logits)
    return np.sum(logsumexp(log_w[None, :] - 0.5 * (x[:, None] - np.arange(3.0)[None, :]) ** 2, axis=1))


def softmax_regression_with_log_softmax(W, X, Y):
    """Multinomial logistic regression: one-hot labels against scipy.special.log_softmax, L2."""
    log_p = log_softmax(X @ W, axis=1)
    return -np.sum(Y * log_p) / X.shape[0] + 0.01 * np.sum(W ** 2)


def poisson_regression_nll(w, X, counts):
    """Poisson regression's negative log-likelihood, log(k!) as gammaln(k + 1), k log rate by xlogy."""
    rate = np.exp(X @ w)
    return np.sum(rate - xlogy(counts, rate) + gammaln(counts + 1.0))


def linear_tuple_params(params, X, y):
    """Least squares whose parameters come as a (W, b) tuple, unpacked in the body."""
    W, b = params
    residual = X @ W + b - y
    return np.mean(residual ** 2)


def deep_mlp(layers, x, y):
    """A perceptron of any depth: a list of (W, b) layers, softplus between them."""
    h = x
    for W, b in layers[:-1]:
        h = np.logaddexp(0.0, W @ h + b)
    W_out, b_out = layers[-1]
    return np.sum((W_out @ h + b_out - y) ** 2)


def _rnn_cell(params, h, x):
    """One step of an Elman cell whose weights come in a dict: the new state and its output."""
    h_new = np.tanh(params["W"] @ h + params["U"] @ x)
    return h_new, params["V"] @ h_new


def rnn_params_dict(params, xs):
    """An RNN over the rows of xs, a helper taking the params dict and returning a tuple."""
    h = np.zeros(params["W"].shape[0])
    total = 0.0
    for x in xs:
        h, out = _rnn_cell(params, h, x)
        total = total + np.sum(out ** 2)
    return total


def scatter_add(w, idx, x):
    """Contributions added into bins by index, `out[idx[k]] += ...`."""
    out = np.zeros(3)
    for k in range(len(w)):
        out[idx[k]] += w[k] * x
    return np.sum(np.sin(out))


def reversed_pairs(xs, ys):
    """A generator over zip(xs, reversed(ys)), summed."""
    return sum(a * b for a, b in zip(xs, reversed(ys)))


def gaussian_log_density(mean, cov, x):
    """A multivariate normal's log-density, through the Cholesky factor of the covariance."""
    L = np.linalg.cholesky(cov)
    z = np.linalg.solve(L, x - mean)
    return -0.5 * z @ z - np.sum(np.log(np.diag(L))) - 0.5 * len(x) * np.log(2 * np.pi)


def pca_reconstruction_error(X):
    """The error of the rank-1 PCA reconstruction of centred data, through np.linalg.svd."""
    Xc = X - np.mean(X, axis=0)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    approx = s[0] * np.outer(U[:, 0], Vt[0])
    return np.sum((Xc - approx) ** 2)


def spectral_embedding_energy(W):
    """The two smallest eigenvalues of a graph Laplacian and how its Fiedler vector spreads."""
    A = 0.5 * (W + W.T)
    laplacian = np.diag(np.sum(A, axis=1)) - A
    w, v = np.linalg.eigh(laplacian)
    return w[1] + np.sum(v[:, 1] ** 4)


def heat_equation_steps(u0, alpha):
    """Explicit steps of the heat equation, the interior updated in place, ends held."""
    u = u0.copy()
    for _ in range(4):
        laplacian = u[:-2] - 2.0 * u[1:-1] + u[2:]
        u[1:-1] += alpha * laplacian
    return np.sum(u ** 2)


def kalman_filter_means(x0, F, zs):
    """A filter's predicted means kept row by row in a preallocated array."""
    T = zs.shape[0]
    means = np.empty((T, x0.shape[0]))
    means[0] = x0
    for t in range(1, T):
        means[t] = F @ means[t - 1] + 0.5 * (zs[t] - F @ means[t - 1])
    return np.sum((means - zs) ** 2)


CASES = [
    case(rnn_final_state, "RNN, h[t] = np.tanh(...) into np.zeros((T, H))",
         normal(2, 2), normal(2, 3), fixed_normal(3, 3)),
    case(kalman_update, "Kalman update, np.linalg.solve",
         normal(2), spd(2), fixed_normal(2), fixed_normal(2, 2), fixed([[0.5, 0.1], [0.1, 0.4]])),
    case(gp_negative_log_marginal_likelihood, "Gaussian process NLML, cholesky and slogdet",
         at(0.1), at(0.2), at(-1.0), fixed_normal(4, 2), fixed_normal(4)),
    case(mlp_loss, "params-dict MLP, params['W1']",
         dict_of(W1=normal(3, 2), b1=normal(3), W2=normal(1, 3), b2=normal(1)), fixed_normal(2), fixed_normal(1)),
    case(horner, "Horner's rule over a local coefficient list", normal()),
    case(taylor_exp, "Taylor series with math.factorial", within(-1.0, 1.0)),
    case(fourier_features, "features built by a list comprehension", normal(6), normal()),
    case(spline_regression, "features appended in a loop, then np.array(list)", normal(5), normal()),
    case(flat_parameter_mlp, "a flat parameter vector cut by np.split", normal(8), fixed_normal(4, 3),
         fixed_normal(4)),
    case(smoothed_fit, "a slope penalty with np.gradient", normal(5), fixed_normal(5), at(0.3)),
    case(logistic_nll, "logistic NLL with np.logaddexp", normal(3), fixed_normal(4, 3), fixed([1.0, 0.0, 1.0, 1.0])),
    case(black_scholes_call, "Black-Scholes call price, math.erf",
         at(100.0), fixed(95.0), fixed(0.5), fixed(0.03), at(0.25)),
    case(rk4_decay, "RK4 for an ODE", at(1.0), at(0.7)),
    case(layer_norm, "layer norm", normal(2, 3), normal(3), normal(3)),
    case(attention, "single-head attention with softmax", normal(2, 2), normal(3, 2), normal(3, 2)),
    case(lennard_jones, "Lennard-Jones energy over pairs", positions(3, 2, 1.2)),
    case(rosenbrock, "Rosenbrock with slices", normal(4)),
    case(scipy_rosen, "scipy.optimize.rosen", normal(4), needs="scipy"),
    case(softmax_cross_entropy_l2, "softmax cross-entropy with L2",
         normal(3, 2), normal(3), fixed_normal(4, 2), labels(4, 3), fixed(0.01)),
    case(newton_sqrt, "Newton's iteration in a while loop", within(0.5, 4.0)),
    case(huber_loss, "Huber loss with np.where", normal(4), fixed_normal(4)),
    case(least_squares_residual, "least squares through np.linalg.lstsq", normal(4, 2), normal(4)),
    case(gaussian_mixture_loglik, "Gaussian mixture log-likelihood, np.logaddexp",
         normal(2), within(-0.5, 0.5, 2), fixed_normal(4)),
    case(conv1d_valid, "1-D convolution by a comprehension", normal(2), normal(4)),
    case(euler_trajectory, "Euler trajectory into a buffer, traj[t] = ...", at(1.0), at(0.5)),
    case(accumulate_columns, "out[:, k] += ... and out += ...", normal(3, 2), normal(2)),
    case(standardized, "a helper returning a tuple, m, s = helper(x)", normal(4)),
    case(polynomial_by_generator, "sum(generator expression)", normal(3), normal()),
    case(weighted_pairs, "for i, (a, b) in enumerate(zip(xs, ys))", normal(3), normal(3)),
    case(product_and_sum, "math.prod and math.fsum", normal(), normal()),
    case(log_partition, "a user's logsumexp(a, axis=None) helper", normal(2, 3)),
    case(group_lasso, "np.linalg.norm(W, ord=2, axis=1)", normal(2, 3), fixed_normal(4, 3), fixed_normal(4, 2)),
    case(bilinear_einsum, "three-operand np.einsum", normal(2), normal(2, 3), normal(3)),
    case(logistic_with_expit, "scipy.special.expit", normal(3), fixed_normal(4, 3), fixed([1.0, 0.0, 1.0, 0.0]),
         needs="scipy"),
    case(mixture_with_logsumexp, "scipy.special.logsumexp", normal(3), fixed_normal(4), needs="scipy"),
    case(softmax_regression_with_log_softmax, "scipy.special.log_softmax(axis=1)", normal(3, 2),
         fixed_normal(4, 3), fixed([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]), needs="scipy"),
    case(poisson_regression_nll, "scipy.special.xlogy and gammaln", normal(3), fixed_normal(4, 3),
         fixed([0.0, 2.0, 1.0, 5.0]), needs="scipy"),
    case(linear_tuple_params, "(W, b) tuple of parameters", tuple_of(normal(3, 2), normal(2)),
         fixed_normal(4, 3), fixed_normal(4, 2)),
    case(deep_mlp, "a list of (W, b) layers, for W, b in layers[:-1]",
         list_of(tuple_of(normal(3, 2), normal(3)), tuple_of(normal(2, 3), normal(2)), tuple_of(normal(1, 2), normal(1))),
         fixed_normal(2), fixed_normal(1)),
    case(rnn_params_dict, "RNN whose cell takes a params dict and returns a tuple",
         dict_of(W=normal(2, 2), U=normal(2, 3), V=normal(1, 2)), fixed_normal(4, 3)),
    case(scatter_add, "out[idx[k]] += ...", normal(4), fixed([0, 2, 0, 1]), normal()),
    case(reversed_pairs, "sum over zip(xs, reversed(ys))", normal(3), normal(3)),
    case(gaussian_log_density, "multivariate normal log-density, cholesky and solve",
         normal(3), spd(3), fixed_normal(3)),
    case(pca_reconstruction_error, "rank-1 PCA reconstruction, np.linalg.svd", normal(5, 3)),
    case(spectral_embedding_energy, "graph Laplacian spectrum, np.linalg.eigh", within(0.2, 1.0, 4, 4)),
    case(heat_equation_steps, "u[1:-1] += ... in a loop", normal(5), at(0.2)),
    case(kalman_filter_means, "means[t] = F @ means[t - 1] + ... into np.empty", normal(2), normal(2, 2),
         fixed_normal(4, 2)),
]
