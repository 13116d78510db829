// The setting to change on an ingress controller so it takes an Ingress, in the words of the
// controller's project (its flag, or its Helm value when a Helm release owns it). Pure.

import { nameOf, nsOf } from '../discover/context.js';
import type { IngressControllerFact } from '../discover/ingress-controllers.js';
import type { IngressClassFact } from '../discover/ingress-facts.js';
import { ownerOf, ownerSettingText } from '../discover/owners.js';

/** [flag on the container, the Helm chart's value for it]. */
function setting(c: IngressControllerFact, cls: IngressClassFact): [string, string] {
  const name = cls.className ?? '';
  switch (c.kind) {
    case 'ingress-nginx':
      if (cls.via === 'none')
        return ['--watch-ingress-without-class=true', 'controller.watchIngressWithoutClass: true'];
      if (cls.via === 'annotation') return [`--ingress-class=${name}`, `controller.ingressClass: ${name}`];
      return [
        `--controller-class=${cls.controller ?? ''}`,
        `controller.ingressClassResource.controllerValue: ${cls.controller ?? ''}`,
      ];
    case 'traefik':
      if (cls.via === 'none')
        return ['no --providers.kubernetesingress.ingressclass', 'providers.kubernetesIngress.ingressClass unset'];
      return [
        `--providers.kubernetesingress.ingressclass=${name}`,
        `providers.kubernetesIngress.ingressClass: ${name}`,
      ];
    case 'haproxy':
      if (cls.via === 'none') return ['--empty-ingress-class', 'controller.extraArgs: [--empty-ingress-class]'];
      return [`--ingress.class=${name}`, `controller.ingressClass: ${name}`];
    case 'haproxy-ingress':
      if (cls.via === 'none')
        return ['--watch-ingress-without-class', 'controller.extraArgs: {watch-ingress-without-class: "true"}'];
      return [`--ingress-class=${name}`, `controller.ingressClass: ${name}`];
    case 'contour':
      return cls.via === 'none'
        ? ['no --ingress-class-name', 'contour.ingressClass.name unset']
        : [`--ingress-class-name=${name}`, `contour.ingressClass.name: ${name}`];
    case 'nginx':
      return cls.via === 'none'
        ? [
            '-ingress-class of a class marked default (applies to Ingresses created afterwards)',
            'controller.ingressClass.setAsDefaultIngress: true',
          ]
        : [`-ingress-class=${name}`, `controller.ingressClass.name: ${name}`];
  }
}

/** "or start X with FLAG", or the owner's setting when the workload is owned (a Helm release, an operator). */
export function controllerSettingFix(c: IngressControllerFact, cls: IngressClassFact): string {
  const [flag, helmValue] = setting(c, cls);
  const owner = ownerOf(c.workload);
  if (owner) return `or ${ownerSettingText(c.workload, owner.kind === 'helm' ? helmValue : flag)!}`;
  return `or run ${c.kind} ${c.workload.kind ?? 'workload'} ${nsOf(c.workload)}/${nameOf(c.workload)} with ${flag}`;
}
