# Pierret & Galerne (ICML 2025) Table 2 cases on the CIFAR-10 Gaussian: writes case files with the 3072
# eigenvalues read from the data file given as the first argument (not committed), into the directory given
# second: python3 pierret_galerne_cases.py EIGENVALUES.txt OUTDIR (docs/examples/pierret_galerne.md).
import sys
src = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else '.'
lam = [l.strip() for l in open(src) if l.strip() and not l.startswith('#')]
assert len(lam) == 3072
def case(name, sampler, init, N, eps, precision='double'):
    stop = 't_out = 0' if eps == 0 else f't_stop = {eps}'
    text = f'''# Pierret & Galerne Table 2: {sampler}, init {init}, N = {N} time points ({N-1} steps), eps = {eps}
[target]
family = "gaussian"
eigenvalues = [{", ".join(lam)}]
[schedule]
kind = "linear"
b_min = 0.1
b_max = 20
steps = {N-1}
[sampler]
kind = "{sampler}"
init = "{init}"
{stop}
compare_with = "data"
[numerics]
precision = "{precision}"
'''
    open(f'{out}/{name}.toml', 'w').write(text)
case('em-pT-N50-eps0', 'sde-em', 'exact', 50, 0)
case('exact-sde-gauss-eps1e-5', 'sde-exact', 'gaussian', 50, '1e-5')
case('em-pT-N50-eps0-mpfr', 'sde-em', 'exact', 50, 0, 'mpfr')
