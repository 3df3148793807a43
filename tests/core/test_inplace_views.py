"""In-place changes through views, and what nodes save, as PyTorch 2.13 does them: an in-place
op on a view is recorded on its base (``CopySlices``) and the view is read again from it
(``AsStridedBackward0``); views share their base's version counter; a node keeps a saved value
only when an input that needs it requires grad, so the version errors fire exactly where
PyTorch's do; the pieces of ``split``/``chunk``/``unbind`` share one node with several outputs.
``EXPECTED`` is what torch 2.13 gives for each case in ``inplace_cases.py`` and
``multi_output_cases.py``."""
import pytest

import gradtrace.core as gt
from tests.core import multi_output_cases
from tests.core.inplace_cases import CASES as INPLACE_CASES
from tests.core.inplace_cases import outcome

CASES = INPLACE_CASES + multi_output_cases.CASES

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
    # several outputs (multi_output_cases.py)
    'one_node_for_all_pieces': ('SplitBackward0', True, 0, 1, True, True, ['MulBackward0']),
    'node_names':
        ('SplitWithSizesBackward0', 'SplitBackward0', 'UnbindBackward0', 2, 'UnbindBackward0'),
    'gradient_of_some_pieces': [[2.0, 2.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [3.0, 3.0]],
    'unbind_gradient': [[2.0, 2.7183], [2.0, 20.0855], [2.0, 148.4132]],
    'chunk_qkv':
        ([[0.1776, 0.1776, -0.0, -0.0296, 0.0025, 0.0025],
          [-0.0, -0.0, 0.0, 0.0296, 1.9975, 1.9975]], ['SoftmaxBackward0', 'SplitBackward0']),
    'hooks_and_retain_grad_per_piece': ([1.0, 1.0, 20.0, 20.0, 20.0], [1.0, 1.0], False),
    'grad_of_a_piece_after_backward': ([[3.0, 3.0, 3.0], [3.0, 3.0, 3.0]], 12.0),
    'piece_in_place_refused': ('error', 'RuntimeError',
                   'Output 0 of Split is a view and is being modified inplace. This view '
                   'is the output of a function that returns multiple views. Such '
                   'functions do not allow the output views to be modified inplace. You '
                   'should replace the inplace operation by an out-of-place one.'),
    'view_of_piece_in_place_refused': ('error', 'RuntimeError',
                   'Output 0 of Select is a view and is being modified inplace. This view '
                   'is the output of a function that returns multiple views. Such '
                   'functions do not allow the output views to be modified inplace. You '
                   'should replace the inplace operation by an out-of-place one.'),
    'piece_in_place_without_a_graph': ([2.0, 2.0], [3.0, 3.0]),
    'pieces_share_the_input_memory': ([1.0, 1.0], 1, 1),
    'backward_steps_of_split':
        ['SumBackward0', 'MulBackward0', 'SplitBackward0', 'MulBackward0', 'AccumulateGrad'],
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
