"""Train softmax regression and a small MLP on scikit-learn's digits with symdiff gradients.

The digits data set (1797 8x8 images) ships with scikit-learn: nothing is
downloaded. Plain full-batch gradient descent; every gradient is symdiff's
generated code. Needs scikit-learn (`pip install scikit-learn`), which symdiff
itself does not.

    python examples/train_digits.py
"""

import numpy as np

import symdiff


def softmax_loss(W, b, X, labels, lam):
    """Mean cross-entropy of softmax(X W^T + b) with L2 weight decay."""
    S = X @ W.T + b
    S = S - np.max(S, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(X.shape[0]), labels]) + lam * np.sum(W * W)


def mlp_loss(W1, b1, W2, b2, X, labels, lam):
    """One tanh hidden layer, then softmax cross-entropy, with L2 weight decay."""
    H = np.tanh(X @ W1.T + b1)
    S = H @ W2.T + b2
    S = S - np.max(S, axis=1, keepdims=True)
    logp = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(X.shape[0]), labels]) + lam * (np.sum(W1 * W1) + np.sum(W2 * W2))


def load():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = digits.data / 16.0
    return train_test_split(X, digits.target, test_size=0.25, random_state=0)


def descend(loss, params, data, steps, rate):
    """Gradient descent on `params` (a list of arrays) with symdiff's gradient of `loss`."""
    gradient = symdiff.value_and_grad(loss, wrt=tuple(range(len(params))))
    for step in range(steps):
        value, grads = gradient(*params, *data)
        params = [p - rate * g for p, g in zip(params, grads, strict=True)]
        if step % (steps // 4) == 0 or step == steps - 1:
            print(f"  step {step:4d}: loss {value:.4f}")
    return params


def accuracy(scores, labels):
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def main():
    X_train, X_test, y_train, y_test = load()
    rng = np.random.default_rng(0)
    print("softmax regression")
    W, b = descend(softmax_loss, [np.zeros((10, 64)), np.zeros(10)], (X_train, y_train, 1e-4), 400, 0.5)
    print(f"  test accuracy {accuracy(X_test @ W.T + b, y_test):.3f}")
    print("MLP with 32 tanh units")
    init = [rng.normal(0, 0.1, (32, 64)), np.zeros(32), rng.normal(0, 0.1, (10, 32)), np.zeros(10)]
    W1, b1, W2, b2 = descend(mlp_loss, init, (X_train, y_train, 1e-4), 600, 0.5)
    print(f"  test accuracy {accuracy(np.tanh(X_test @ W1.T + b1) @ W2.T + b2, y_test):.3f}")
    print("\nThe generated MLP gradient:\n")
    print(symdiff.value_and_grad(mlp_loss, wrt=(0, 1, 2, 3)).source)


if __name__ == "__main__":
    main()
