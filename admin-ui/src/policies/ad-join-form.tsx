import { BooleanInput, required, TextArrayInput, TextInput } from 'react-admin';

/** An `ad-join` policy: the domain, where computer objects go, who may sign in, and sssd's options. */
export function AdJoinForm() {
  return (
    <>
      <TextInput
        source="document.domain"
        label="bascule.policies.ad_join.fields.domain"
        validate={required()}
        helperText="bascule.policies.ad_join.domain_help"
      />
      <TextInput
        source="document.ou"
        label="bascule.policies.ad_join.fields.ou"
        helperText="bascule.policies.ad_join.ou_help"
        fullWidth
      />
      <TextArrayInput
        source="document.permitGroups"
        label="bascule.policies.ad_join.fields.permitGroups"
        helperText="bascule.policies.ad_join.permit_groups_help"
        fullWidth
      />
      <BooleanInput
        source="document.fullyQualifiedNames"
        label="bascule.policies.ad_join.fields.fullyQualifiedNames"
        helperText="bascule.policies.ad_join.fqn_help"
      />
      <TextInput
        source="document.homeDirTemplate"
        label="bascule.policies.ad_join.fields.homeDirTemplate"
        helperText="bascule.policies.ad_join.home_help"
      />
      <BooleanInput
        source="document.mkhomedir"
        label="bascule.policies.ad_join.fields.mkhomedir"
        helperText="bascule.policies.ad_join.mkhomedir_help"
      />
    </>
  );
}
