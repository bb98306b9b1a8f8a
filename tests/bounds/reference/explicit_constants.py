# Reference values for tests/bounds/test_explicit_constants.cpp: the explicit-constant bounds of
# docs/math.md#explicit-constant-bounds straight from their definitions (nested mpmath quadrature of the
# integrals, the min in L_t split at its switch point), 50 digits, inputs read as exact decimals.
from mpmath import mp, mpf, exp, expm1, sqrt, log, quad, findroot
mp.dps=40
def run(name,lams,ms,bmin,bmax,a,Tf,sinf,N,eps):
    s2=mpf(sinf)**2; Tf=mpf(Tf); bmin,bmax=mpf(bmin),mpf(bmax); eps=mpf(eps)
    # beta and its integral B in closed form (MATH 2.4); the bounds' own integrals below by quadrature
    if a is None:
        beta=lambda t: bmin+(bmax-bmin)*t/Tf
        B=lambda t: bmin*t+(bmax-bmin)*t*t/(2*Tf)
    else:
        a=mpf(a); beta=lambda t: bmin+(bmax-bmin)*expm1(a*t)/expm1(a*Tf)
        B=lambda t: bmin*t+(bmax-bmin)*(expm1(a*t)/a-t)/expm1(a*Tf)
    A=lambda t: B(t)/(2*s2)
    mu=lambda t: exp(-A(t))
    v=lambda t,l: mu(t)**2*l+s2*(1-mu(t)**2)
    lams=[mpf(x) for x in lams]; ms=[mpf(x) for x in ms]
    lmax=max(lams); lmin=min(lams); d=len(lams)
    eta=sqrt(sum(mu(Tf)**2*m*m+(sqrt(v(Tf,l))-sqrt(s2))**2 for l,m in zip(lams,ms)))
    I=lambda t: exp(quad(lambda r: beta(r)/(2*s2)-beta(r)/v(r,lmax),[0,t]))
    kwon=quad(lambda t: beta(t)*I(t)*eps,[0,Tf])+I(Tf)*eta
    L=max(1/s2,1/lmin)
    BT=B(Tf)
    if eps==0: tang=eta*exp(BT*(1/(2*s2)+L))
    else: tang=None
    h=Tf/N
    kl0=sum(( l/s2-1-log(l/s2) + m*m/s2)/2 for l,m in zip(lams,ms))
    fisher=(sum(lams)+sum(m*m for m in ms))/s2**2-2*d/s2+sum(1/l for l in lams)
    skl=kl0*exp(-2*A(Tf))+eps**2*BT+2*h*beta(Tf)*max(h*beta(Tf)/(4*s2),1)*fisher
    print(name,"kwon",mp.nstr(kwon,30),"tang",mp.nstr(tang,30) if tang is not None else "-","strasman-kl",mp.nstr(skl,30))
    if Tf==1:
        m2=sum(lams)+sum(m*m for m in ms)
        w20=sqrt(sum(m*m+(sqrt(l)-sqrt(s2))**2 for l,m in zip(lams,ms)))
        C=lambda t: mu(t)**2*(s2-lmax)/(mu(t)**2*lmax+s2*(1-mu(t)**2))
        M=w20*exp(-B(Tf)/s2)*exp(-quad(lambda t: C(t)*beta(t),[0,Tf]))
        Lt=lambda t: min(1/(s2*(1-mu(t)**2)),1/(lmin*mu(t)**2))-1/s2
        # switch time: sigma_t^2 = lmin mu_t^2
        tstar=findroot(lambda t: s2*(1-mu(t)**2)-lmin*mu(t)**2, mpf('0.3'))
        M2=sqrt(2*h*beta(Tf))/sqrt(s2)+h*beta(Tf)/(2*s2)
        Bbar=sqrt(m2+s2*d)
        tot=M
        for k in range(N):
            a_,b_=Tf-(k+1)*h,Tf-k*h
            pts=[a_,b_] if not (a_<tstar<b_) else [a_,tstar,b_]
            Ik=quad(lambda t: Lt(t)*beta(t),pts)
            tot+=Ik*(M2+2*Ik)*Bbar
        normm=sqrt(sum(m*m for m in ms))
        lbar=0
        for k in range(N):
            tk=k*h; tk1=(k+1)*h
            Dk=abs((s2+mu(tk)**2*(lmin-s2))*(s2+mu(tk1)**2*(lmin-s2)))
            k1=(beta(tk1)/s2)*mu(tk)**2*abs(lmin-s2)/Dk
            k2=normm*(beta(tk1)/(2*s2))*mu(tk)*abs(mu(tk)*mu(tk1)*(lmin-s2)-s2)/Dk
            lbar=max(lbar,k1,k2)
        tot+=eps*Tf*beta(Tf)+lbar*h*Tf*beta(Tf)*(1+2*Bbar)
        print(name,"strasman-w2",mp.nstr(tot,30))
run("vp1",[0.5],['0.4'],'0.2','12',-2,1,'1.5',80,0)
run("vp3",['1','0.3','0.05'],['0','0.5','-0.2'],'0.1','8',None,2,1,40,0)
run("n13",['3'],['1'],'0.1','2',None,1,1,50,0)
run("eps-c-pos",['2','0.5'],['0.3','0'],'0.1','20',None,1,1,100,'0.05')
run("eps-c-neg",['0.25'],['0.1'],'0.1','20',None,1,'1.2',100,'0.05')
run("eps-c-zero",['1','0.5'],['0','0.2'],'0.1','20',None,1,1,20,'0.1')

# tang-zhao2024-contractive with eps > 0: the minimum over h > 0 of
# sqrt(eta^2 e^{kB} + eps^2 expm1(kB)/(2 h k)), k = 1/s2 + 2L + 2h (linear schedules, T_f = 1)
from mpmath import diff
def tang_min(lams,ms,bmin,bmax,s,eps):
    mp.dps=30
    s2=mpf(s)**2; bmin=mpf(bmin); bmax=mpf(bmax); eps=mpf(eps)
    B=bmin+(bmax-bmin)/2
    lams=[mpf(x) for x in lams]; ms=[mpf(x) for x in ms]
    mu2=exp(-B/s2)
    eta=sqrt(sum(mu2*m*m+(sqrt(mu2*l+s2*(1-mu2))-sqrt(s2))**2 for l,m in zip(lams,ms)))
    L=max(1/s2,1/min(lams))
    f=lambda lh: log(eta**2*exp((1/s2+2*L+2*exp(lh))*B)+eps**2*expm1((1/s2+2*L+2*exp(lh))*B)/(2*exp(lh)*(1/s2+2*L+2*exp(lh))))
    best=min((f(mpf(i)/20),i) for i in range(-400,200))
    lh=findroot(lambda x: diff(f,x), mpf(best[1])/20)
    print("tang min", mp.nstr(sqrt(exp(f(lh))),25))
tang_min(['2','0.5'],['0.3','0'],'0.1','20','1','0.05')
tang_min(['0.25'],['0.1'],'0.1','20','1.2','0.05')
tang_min(['1','0.5'],['0','0.2'],'0.1','20','1','0.1')
