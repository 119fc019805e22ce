/**
 * Publishes Account changes to the Switchboard telephony directory; all logic is in SwitchboardChangeHandler.
 */
trigger SwitchboardAccountTrigger on Account(
  after insert,
  after update,
  after delete,
  after undelete
) {
  new SwitchboardChangeHandler(Account.SObjectType).run();
}
