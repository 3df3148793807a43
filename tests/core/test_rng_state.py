"""torch.get_rng_state / set_rng_state on gradtrace's default stream: a state returns the stream
to where it was (values, initial_seed), and bad states fail with PyTorch's errors."""
import pytest

import gradtrace.core as gt


def test_a_saved_state_replays_the_stream():
    gt.manual_seed(3)
    state = gt.get_rng_state()
    first = gt.rand(4), gt.randn(2, 2), gt.randint(0, 10, (5,))
    gt.manual_seed(99)
    gt.rand(17)
    gt.set_rng_state(state)
    again = gt.rand(4), gt.randn(2, 2), gt.randint(0, 10, (5,))
    assert all(gt.equal(a, b) for a, b in zip(first, again))
    assert gt.initial_seed() == 3
    assert state.dtype == gt.uint8 and state.dim() == 1
    assert gt.equal(gt.get_rng_state(), gt.get_rng_state())   # reading it moves nothing


def test_an_odd_number_of_normals_is_replayed_too():
    gt.manual_seed(0)
    gt.randn(3)
    state = gt.get_rng_state()
    nxt = gt.randn(3)
    gt.set_rng_state(state)
    assert gt.equal(gt.randn(3), nxt)


def _errors(torch):
    out = []
    for bad in (lambda: torch.zeros(3), lambda: [1, 2]):
        with pytest.raises(TypeError) as info:
            torch.set_rng_state(bad())
        out.append(str(info.value))
    return out


def test_bad_states_fail_as_in_pytorch():
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 45 but "
                                           "found the input RNG state size to be 3"):
        gt.set_rng_state(gt.zeros(3, dtype=gt.uint8))
    assert _errors(gt) == ["RNG state must be a torch.ByteTensor",
                           "expected a torch.ByteTensor, but got list"]


@pytest.mark.torch
def test_type_errors_match_torch():
    torch = pytest.importorskip("torch")
    assert _errors(gt) == _errors(torch)
