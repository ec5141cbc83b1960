# Writes the .npy fixtures of tests/core/npy_test.cpp with numpy itself, so that the reader is
# checked against files numpy made. Run with the directory of this script as working directory:
#   python3 make_fixtures.py
import numpy as np

np.save("f4_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3) / np.float32(8))
np.save("f8_vector.npy", np.array([0.1, -2.5, 1e-300], dtype="<f8"))
np.save("f8_scalar.npy", np.array(3.25, dtype="<f8"))
np.save("f4_empty.npy", np.zeros((0, 3), dtype="<f4"))
np.save("f8_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)))
np.save("f8_fortran_3d.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
np.save("f8_big_endian.npy", np.array([[1.5, -0.25]], dtype=">f8"))
np.save("i4.npy", np.array([[-3, 7], [2**31 - 1, -2**31]], dtype="<i4"))
np.save("i8.npy", np.array([2**53, -5, 0, -2**53], dtype="<i8"))
np.save("i8_inexact.npy", np.array([1, 2**53 + 1], dtype="<i8"))
np.save("u1.npy", np.array([1, 2], dtype="u1"))
np.save("c16.npy", np.array([1 + 2j], dtype="<c16"))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f4")]))
with open("f8_version2.npy", "wb") as f:
    np.lib.format.write_array(f, np.arange(4, dtype="<f8"), version=(2, 0))
