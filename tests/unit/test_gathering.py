import numpy as np
import pytest

from workbench.core.gathering import gathered, scatter


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.float64, np.bool_])
def test_gathered_takes_the_values_in_the_order_given(dtype):
    values = np.array([5, 0, 7, 1], dtype=dtype)
    order = np.array([2, 0, 3, 1], dtype=np.int32)
    out = gathered(values, order)
    assert out.dtype == values.dtype
    assert out.tolist() == np.array([7, 5, 1, 0], dtype=dtype).tolist()


def test_gathered_keeps_nan_and_falls_back_for_text():
    assert np.array_equal(gathered(np.array([1.5, np.nan]), np.array([1, 0])), [np.nan, 1.5], equal_nan=True)
    assert gathered(np.array(["a", "b"], dtype=object), np.array([1, 0])).tolist() == ["b", "a"]


def test_scatter_undoes_gathered():
    rng = np.random.default_rng(7)
    values, order = rng.integers(-100, 100, 1000).astype(np.int16), rng.permutation(1000)
    back = np.empty_like(values)
    scatter(order, gathered(values, order), back)
    assert np.array_equal(back, values)
