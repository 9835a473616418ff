// Which instruction set the kernels of this target use, chosen once per process (private to the target).
#ifndef A3D_KERNEL_PATH_H
#define A3D_KERNEL_PATH_H

enum A3DKernelPath { a3dPathUnknown = 0, a3dPathPortable, a3dPathAVX2, a3dPathVNNI };

/// AVX-512 VNNI (with F and BW), else AVX2, else portable C.
int a3d_kernel_path(void);

#endif
