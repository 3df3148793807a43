"""In-place changes through views, and what nodes save, as PyTorch 2.13 does them: an in-place
op on a view is recorded on its base (``CopySlices``) and the view is read again from it
(``AsStridedBackward0``); views share their base's version counter; a node keeps a saved value
only when an input that needs it requires grad, so the version errors fire exactly where
PyTorch's do. ``EXPECTED`` is what torch 2.13 gives for each case in ``inplace_cases.py``."""
import pytest

import gradtrace.core as gt
from tests.core.inplace_cases import CASES, outcome

EXPECTED = {
    'through_transpose': ([[2.0, 2.0], [2.0, 2.0]], 'CopySlices'),
    'through_slice': ([1.0, 3.0, 3.0], 'CopySlices'),
    'through_element': ([5.0, 1.0, 1.0], 'CopySlices', 'AsStridedBackward0', [5.0, 1.0, 1.0]),
    'zero_through_view_of_view': ([[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]], 'CopySlices'),
    'nested_views_share_the_base': ([1.0, 4.0, 1.0], True, True, False),
    'write_into_a_view': ([1.0, 0.0, 1.0, 1.0], [1.0, 7.0, 1.0, 1.0]),
    'augmented_assignment_on_a_view': [4.0, 4.0, 4.0, 4.0],
    'base_changed_after_the_view': ([0.0, 2.0, 2.0], [2.0, 2.0], 'AsStridedBackward0'),
    'graph_value_into_a_constant_buffer': ([2.0, 2.0], 'CopySlices', [0.0, 2.0, 2.0]),
    'relu_on_a_transposed_slice': [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
    'view_of_a_leaf': ('error', 'RuntimeError',
                   'a view of a leaf Variable that requires grad is being used in an in-'
                   'place operation.'),
    'view_of_a_leaf_without_grad': [2.0, 1.0, 1.0],
    'expanded_tensor': ('error', 'RuntimeError',
                   'unsupported operation: more than one element of the written-to tensor '
                   'refers to a single memory location. Please clone() the tensor before '
                   'performing the operation.'),
    'fill_number': ('FillBackward2', [0.0, 0.0, 0.0], True),
    'fill_tensor': (['MulBackward0', 'AccumulateGrad'], 3.0),
    'fill_constant_with_a_graph_value': 'FillBackward3',
    'zero': ('ZeroBackward0', ['MulBackward0']),
    'copy': ('CopyBackwards', [0.0, 0.0, 0.0], [3.0, 3.0, 3.0]),
    'copy_broadcast_and_cast': ([3.0], 'torch.float64'),
    'change_input_of_mul_by_number': ([2.0, 2.0], (None, 2)),
    'change_graph_input_of_mul_by_constant': [1.0, 1.0],
    'change_constant_of_mul': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [2]] is at version 1; '
                   'expected version 0 instead. Hint: enable anomaly detection to find the'
                   ' operation that failed to compute its gradient, with '
                   'torch.autograd.set_detect_anomaly(True, check_nan=False).'),
    'change_weight_after_forward': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [3, 4]], which is output '
                   '0 of AsStrided, is at version 1; expected version 0 instead. Hint: '
                   'enable anomaly detection to find the operation that failed to compute '
                   'its gradient, with torch.autograd.set_detect_anomaly(True, '
                   'check_nan=False).'),
    'change_weight_of_linear_after_forward': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [3, 4]], which is output '
                   '0 of AsStrided, is at version 1; expected version 0 instead. Hint: '
                   'enable anomaly detection to find the operation that failed to compute '
                   'its gradient, with torch.autograd.set_detect_anomaly(True, '
                   'check_nan=False).'),
    'change_weight_when_only_the_weight_needs_grad': 24.0,
    'change_base_of_a_saved_view': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [2, 2]], which is output '
                   '0 of AsStrided, is at version 1; expected version 0 instead. Hint: '
                   'enable anomaly detection to find the operation that failed to compute '
                   'its gradient, with torch.autograd.set_detect_anomaly(True, '
                   'check_nan=False).'),
    'change_through_detach': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [3]], which is output 0 '
                   'of Exp, is at version 1; expected version 0 instead. Hint: enable '
                   'anomaly detection to find the operation that failed to compute its '
                   'gradient, with torch.autograd.set_detect_anomaly(True, '
                   'check_nan=False).'),
    'change_through_data': [0.0, 0.0, 0.0],
    'change_saved_result_through_a_view': ('error', 'RuntimeError',
                   'one of the variables needed for gradient computation has been modified'
                   ' by an inplace operation: [torch.FloatTensor [3]], which is output 0 '
                   'of Sigmoid, is at version 1; expected version 0 instead. Hint: enable '
                   'anomaly detection to find the operation that failed to compute its '
                   'gradient, with torch.autograd.set_detect_anomaly(True, '
                   'check_nan=False).'),
}


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_as_pytorch_gives_it(case):
    assert outcome(case, gt) == EXPECTED[case.__name__]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_against_installed_torch(case):
    torch = pytest.importorskip("torch")
    assert outcome(case, gt) == outcome(case, torch)


@pytest.mark.parametrize("seed", range(150))
def test_random_programs_against_installed_torch(seed):
    """Random chains of ops, views and in-place changes give torch's gradients and errors."""
    import numpy as np

    from tests.core.inplace_cases import random_program, run_program
    torch = pytest.importorskip("torch")
    source = random_program(seed)
    X = np.random.default_rng(seed).standard_normal((3, 3)).round(2).tolist()
    got, want = run_program(gt, source, X), run_program(torch, source, X)
    if got[0] == want[0] == "ok":
        np.testing.assert_allclose(got[1], want[1], rtol=1e-3, atol=2e-3, err_msg=source)
    else:
        assert got == want, source
