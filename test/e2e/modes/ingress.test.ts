// expose --mode ingress in the lab, served by Traefik (IngressClass lab). See l7-suite.ts.
import { l7Suite } from './l7-suite.ts';

l7Suite('ingress');
