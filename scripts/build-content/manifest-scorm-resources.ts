// The <resources> of both SCORM manifests: one SCO per plan item, each depending on one asset
// resource with the shared files (styles, runtime). The editions differ only in the attribute's
// spelling: adlcp:scormtype in SCORM 1.2, adlcp:scormType in SCORM 2004.
import { SHARED_RESOURCE_ID, resourceId } from './identifiers.ts';
import type { PackagePlan, PlanItem } from './package-plan.ts';
import { escapeXml, indent } from './xml.ts';

type ScormTypeAttribute = 'adlcp:scormtype' | 'adlcp:scormType';

function sco(entry: PlanItem, scormType: ScormTypeAttribute): string {
  return `<resource identifier="${resourceId(entry.id)}" type="webcontent" ${scormType}="sco" href="${escapeXml(entry.href)}">
  <file href="${escapeXml(entry.href)}"/>
  <dependency identifierref="${SHARED_RESOURCE_ID}"/>
</resource>`;
}

function sharedAsset(plan: PackagePlan, scormType: ScormTypeAttribute): string {
  const files = plan.sharedFiles.map((f) => `  <file href="${escapeXml(f)}"/>`).join('\n');
  return `<resource identifier="${SHARED_RESOURCE_ID}" type="webcontent" ${scormType}="asset">\n${files}\n</resource>`;
}

/** The resource elements, indented to sit inside <resources>. */
export function scormResources(plan: PackagePlan, scormType: ScormTypeAttribute): string {
  return [...plan.items.map((i) => sco(i, scormType)), sharedAsset(plan, scormType)].map((r) => indent(r, 4)).join('\n');
}
