"""Ops with several outputs as PyTorch 2.13 makes them: the pieces of ``split``/``chunk``/
``unbind`` share one node (``SplitBackward0``, ...), are its outputs 0, 1, ... and views of the
input, get their own hooks and ``retain_grad``, and refuse in-place changes in a graph.
``EXPECTED`` is what torch 2.13 gives for each case in ``multi_output_cases.py``."""
import pytest

import gradtrace.core as gt
from tests.core.inplace_cases import outcome
from tests.core.multi_output_cases import CASES

EXPECTED = {
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
